package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every AWS call the functions' code can make is allowed by that function's policy in template.yaml, optional
 * permissions left out on purpose are really left out, and no statement allows a write on every resource.
 * Statements inside {@code Fn::If} count: they hold when their condition does.
 */
class PermissionsTest {

    /** The IAM actions each function's code calls, and where (ShippedJarsIT checks their jars keep them). */
    static final Map<String, Map<String, String>> CALLS = Map.of(
            "MonitorFunction", Map.ofEntries(
                    Map.entry("dynamodb:PutItem", "DynamoDbAlertRepository.create, DynamoDbProbeStateStore, DynamoDbOpenAlertClaims"),
                    Map.entry("dynamodb:GetItem", "DynamoDbAlertRepository.find, DynamoDbProbeStateStore, DynamoDbOpenAlertClaims"),
                    Map.entry("dynamodb:BatchGetItem", "DynamoDbProbeStateStore.findAll: every target's state before a run"),
                    Map.entry("dynamodb:UpdateItem", "DynamoDbAlertRepository.apply/recordOccurrence, NotificationDispatcher"),
                    Map.entry("dynamodb:Query", "DynamoDbAlertRepository: by-fingerprint dedupe, by-status expiry"),
                    Map.entry("s3:PutObject", "S3ArtifactStore.put: reports and evidence"),
                    Map.entry("s3:GetObject", "S3ArtifactStore.get and the presigned links in notifications"),
                    Map.entry("s3:ListBucket", "S3ArtifactStore.get: a missing key must answer NoSuchKey, not AccessDenied; HeadBucket of origin buckets"),
                    Map.entry("route53:ListHostedZonesByName", "AwsEvidenceCollector"),
                    Map.entry("route53:ListResourceRecordSets", "AwsEvidenceCollector, AwsAgentTools.get_dns_records"),
                    Map.entry("cloudfront:ListDistributions", "AwsEvidenceCollector"),
                    Map.entry("cloudfront:GetDistribution", "AwsEvidenceCollector, AwsAgentTools.get_distribution"),
                    Map.entry("acm:ListCertificates", "AwsEvidenceCollector"),
                    Map.entry("acm:DescribeCertificate", "AwsEvidenceCollector, AwsAgentTools.get_certificate"),
                    Map.entry("s3:GetBucketWebsite", "AwsEvidenceCollector (origin bucket)"),
                    Map.entry("s3:GetBucketPublicAccessBlock", "AwsEvidenceCollector, AwsAgentTools.get_bucket (GetPublicAccessBlock)"),
                    Map.entry("s3:GetBucketPolicyStatus", "AwsEvidenceCollector, AwsAgentTools.get_bucket"),
                    Map.entry("cloudtrail:LookupEvents", "AwsEvidenceCollector, AwsAgentTools.lookup_recent_changes"),
                    Map.entry("bedrock:InvokeAgent", "BedrockRemediationAgent (AgentConversation)"),
                    Map.entry("secretsmanager:GetSecretValue", "AwsClients.secret: webhook URLs and the review-link key"),
                    Map.entry("logs:CreateLogStream", "CloudWatchLogsAuditTrail: the audit log stream"),
                    Map.entry("logs:PutLogEvents", "CloudWatchLogsAuditTrail: audit events"),
                    Map.entry("sns:Publish", "SnsEmailNotifier")),
            "ApprovalFunction", Map.ofEntries(
                    Map.entry("dynamodb:GetItem", "DynamoDbAlertRepository.find"),
                    Map.entry("dynamodb:UpdateItem", "DynamoDbAlertRepository.apply/appendEvent, NotificationDispatcher"),
                    Map.entry("dynamodb:Query", "DynamoDbAlertRepository.listByStatus: the review queue"),
                    Map.entry("s3:GetObject", "S3ArtifactStore.get (report, evidence) and the presigned report link"),
                    Map.entry("s3:ListBucket", "S3ArtifactStore.get: a missing key must answer NoSuchKey, not AccessDenied"),
                    Map.entry("sns:Publish", "SnsExecutionTrigger, SnsEmailNotifier"),
                    Map.entry("secretsmanager:GetSecretValue", "AwsClients.secret: the review-link key and webhook URLs"),
                    Map.entry("logs:CreateLogStream", "CloudWatchLogsAuditTrail: the audit log stream"),
                    Map.entry("logs:PutLogEvents", "CloudWatchLogsAuditTrail: audit events")),
            "ExecutionFunction", Map.ofEntries(
                    Map.entry("dynamodb:GetItem", "DynamoDbAlertRepository.find, DynamoDbControlLocks"),
                    Map.entry("dynamodb:UpdateItem", "DynamoDbAlertRepository.apply/appendEvent, DynamoDbControlLocks (hourly count)"),
                    Map.entry("dynamodb:PutItem", "DynamoDbControlLocks (locks), DynamoDbDeferredExecutions: the Control table only"),
                    Map.entry("dynamodb:DeleteItem", "DynamoDbControlLocks (release), DynamoDbDeferredExecutions"),
                    Map.entry("dynamodb:Scan", "DynamoDbDeferredExecutions.due"),
                    Map.entry("s3:GetObject", "S3ArtifactStore.get (analysis, evidence) and the presigned log link"),
                    Map.entry("s3:PutObject", "S3ArtifactStore.put: execution logs and archives of closed alerts (executions/)"),
                    Map.entry("s3:ListBucket", "S3ArtifactStore.get: a missing key must answer NoSuchKey, not AccessDenied"),
                    Map.entry("route53:ListResourceRecordSets", "Route53Executor: observe before changing"),
                    Map.entry("route53:ChangeResourceRecordSets", "Route53Executor, AcmExecutor (validation record)"),
                    Map.entry("route53:GetChange", "Route53Executor: wait for INSYNC"),
                    Map.entry("route53:ListHostedZonesByName", "AcmExecutor: the zone of the validation record"),
                    Map.entry("cloudfront:GetDistribution", "CloudFrontExecutor: config and ETag"),
                    Map.entry("cloudfront:UpdateDistribution", "CloudFrontExecutor"),
                    Map.entry("cloudfront:CreateInvalidation", "CloudFrontExecutor"),
                    Map.entry("acm:DescribeCertificate", "AcmExecutor, AcmEvidenceFacts"),
                    Map.entry("acm:ListCertificates", "AcmExecutor: an existing certificate for the name"),
                    Map.entry("iam:SimulatePrincipalPolicy", "IamPermissionChecker: preflight"),
                    Map.entry("bedrock:InvokeAgent", "AgentModeRunner (AgentConversation)"),
                    Map.entry("secretsmanager:GetSecretValue", "AwsClients.secret: webhook URLs and the review-link key"),
                    Map.entry("logs:CreateLogStream", "CloudWatchLogsAuditTrail: the audit log stream"),
                    Map.entry("logs:PutLogEvents", "CloudWatchLogsAuditTrail: audit events"),
                    Map.entry("sns:Publish", "SnsEmailNotifier")));

    /** Calls of optional features that the template deliberately does not allow, and why. */
    private static final Map<String, Map<String, String>> DELIBERATELY_ABSENT = Map.of(
            "MonitorFunction", Map.of(
                    "ses:SendEmail", "SesEmailNotifier: the template sets no NOTIFY_SES_FROM; email goes through SNS",
                    "ssm:GetParameter", "SsmTargetSource: the template passes the targets inline (TARGETS)",
                    "kms:GenerateDataKey", "S3ArtifactStore with ARTIFACTS_KMS_KEY_ID: the bucket uses SSE-S3"),
            "ApprovalFunction", Map.of(
                    "ses:SendEmail", "SesEmailNotifier: the template sets no NOTIFY_SES_FROM; email goes through SNS",
                    "kms:Decrypt", "S3ArtifactStore with ARTIFACTS_KMS_KEY_ID: the bucket uses SSE-S3"),
            "ExecutionFunction", Map.of(
                    "ses:SendEmail", "SesEmailNotifier: the template sets no NOTIFY_SES_FROM; email goes through SNS",
                    "acm:RequestCertificate", "AcmExecutor: a certificate has no ARN before it is requested, so allowing "
                            + "it means a write on \"*\"; grant it in a stack that wants certificate requests",
                    "kms:GenerateDataKey", "S3ArtifactStore with ARTIFACTS_KMS_KEY_ID: the bucket uses SSE-S3"));

    private static final Pattern READ = Pattern.compile("(Get|List|Describe|Lookup|Head|Simulate|BatchGet|Query|Scan)[A-Za-z]*");

    @Test
    void everyCallOfTheCode_isAllowedByItsFunctionsPolicy() {
        Template template = Template.committed();

        List<String> problems = missingPermissions(template);

        assertThat(problems).as("calls not allowed by template.yaml").isEmpty();
    }

    @Test
    void everyCallOfTheMonitor_isAllowedByTheProbeRegionMonitorsPolicy() {
        Template probe = Template.probeRegion();

        List<JsonNode> statements = statements(probe, "MonitorFunction");

        List<String> problems = new ArrayList<>();
        CALLS.get("MonitorFunction").forEach((action, where) -> {
            if (!allowed(statements, action)) {
                problems.add("probe-region.yaml MonitorFunction: " + action + " (" + where + ") is not allowed");
            }
        });
        DELIBERATELY_ABSENT.get("MonitorFunction").keySet().stream().filter(action -> allowed(statements, action))
                .forEach(action -> problems.add("probe-region.yaml MonitorFunction: " + action + " is allowed"));
        assertThat(problems).isEmpty();
    }

    @Test
    void probeRegion_noStatementAllowsAWriteOnEveryResource_andEveryStoreIsTheHomeRegions() {
        Template probe = Template.probeRegion();

        List<String> writes = writesOnStar(probe);
        List<String> stores = statements(probe, "MonitorFunction").stream()
                .filter(s -> values(s.path("Action")).stream().anyMatch(a -> a.startsWith("dynamodb:") || a.startsWith("logs:")
                        || a.startsWith("sns:") || a.startsWith("states:") || a.startsWith("bedrock:")))
                .flatMap(s -> resources(s).stream()).toList();

        assertThat(writes).as("Allow statements of probe-region.yaml with a write action on Resource \"*\"").isEmpty();
        assertThat(stores).isNotEmpty().allSatisfy(arn -> assertThat(arn).startsWith("arn:${AWS::Partition}:")
                .contains(":${HomeRegion}:${AWS::AccountId}:"));
    }

    @Test
    void everyFunction_isTraced_andItsRoleMaySendTheTraces() {
        Template template = Template.committed();
        JsonNode globals = template.root().path("Globals").path("Function");

        for (String function : CALLS.keySet()) {
            JsonNode properties = template.resource(function).path("Properties");
            String tracing = properties.path("Tracing").asText(globals.path("Tracing").asText());
            JsonNode role = properties.path("Role");

            assertThat(tracing).as("%s Tracing", function).isEqualTo("Active");
            if (!role.isMissingNode()) {
                // SAM adds AWSXRayDaemonWriteAccess to the roles it makes for traced functions, not to one given.
                String roleId = role.path("Fn::GetAtt").path(0).asText();
                List<String> managed = new ArrayList<>();
                template.resource(roleId).path("Properties").path("ManagedPolicyArns")
                        .forEach(arn -> managed.add(arn.isTextual() ? arn.asText() : arn.path("Fn::Sub").asText()));
                assertThat(managed).as("%s's role %s", function, roleId)
                        .anySatisfy(arn -> assertThat(arn).endsWith(":iam::aws:policy/AWSXRayDaemonWriteAccess"));
            }
        }
    }

    @Test
    void permissionsListedAsDeliberatelyAbsent_areAbsent() {
        Template template = Template.committed();

        List<String> problems = new ArrayList<>();
        DELIBERATELY_ABSENT.forEach((function, actions) -> actions.keySet().stream()
                .filter(action -> allowed(statements(template, function), action))
                .forEach(action -> problems.add(function + ": " + action + " is allowed; move it to CALLS")));

        assertThat(problems).isEmpty();
    }

    @Test
    void noStatement_allowsAWriteOnEveryResource() {
        Template template = Template.committed();

        List<String> problems = writesOnStar(template);

        assertThat(problems).as("Allow statements with a write action on Resource \"*\"").isEmpty();
    }

    @Test
    void aMissingPermissionAndAWriteOnStar_areReported() {
        Template broken = Template.committed();
        ArrayNode monitor = (ArrayNode) broken.resource("MonitorFunction").path("Properties").path("Policies").get(0)
                .path("Statement");
        for (JsonNode statement : monitor) {
            if (statement.path("Sid").asText().equals("EvidenceReadOnly")) {
                ArrayNode actions = (ArrayNode) statement.get("Action");
                actions.remove(actions.size() - 1);
                ((ObjectNode) statement).withArray("Action").add("route53:ChangeResourceRecordSets");
            }
        }
        ArrayNode execution = (ArrayNode) broken.resource("ExecutionRole").path("Properties").path("Policies").get(0)
                .path("PolicyDocument").path("Statement");
        execution.removeAll();

        List<String> missing = missingPermissions(broken);
        List<String> writes = writesOnStar(broken);

        assertThat(missing).contains("MonitorFunction: cloudtrail:LookupEvents (AwsEvidenceCollector, "
                + "AwsAgentTools.lookup_recent_changes) is not allowed")
                .anyMatch(p -> p.startsWith("ExecutionFunction: dynamodb:Scan"))
                .noneMatch(p -> p.startsWith("ExecutionFunction: iam:SimulatePrincipalPolicy"));
        assertThat(writes).anyMatch(p -> p.contains("MonitorFunction") && p.contains("route53:ChangeResourceRecordSets"));
    }

    @Test
    void executionFunction_changesAlertsOnlyByUpdate_andNeverCreatesOne() {
        Template template = Template.committed();

        List<JsonNode> onAlerts = statements(template, "ExecutionFunction").stream()
                .filter(s -> resources(s).stream().anyMatch(r -> r.contains("AlertsTable"))).toList();

        assertThat(onAlerts).isNotEmpty();
        assertThat(allowed(onAlerts, "dynamodb:UpdateItem")).isTrue();
        assertThat(allowed(onAlerts, "dynamodb:PutItem")).as("PutItem on the Alerts table").isFalse();
        assertThat(allowed(onAlerts, "dynamodb:DeleteItem")).as("DeleteItem on the Alerts table").isFalse();
        assertThat(onAlerts).filteredOn(st -> allowed(List.of(st), "dynamodb:Query"))
                .as("the scheduled run's query for executions cut short").singleElement()
                .satisfies(st -> assertThat(resources(st)).containsExactly("${AlertsTable.Arn}/index/by-status"));
    }

    @Test
    void executionFunction_writesObjectsOnlyUnderItsExecutionLogPrefix_andItsArchivePrefixInTheArchiveBucket() {
        Template template = Template.committed();

        List<String> written = statements(template, "ExecutionFunction").stream()
                .filter(s -> allowed(List.of(s), "s3:PutObject")).flatMap(s -> resources(s).stream()).toList();

        assertThat(written).containsExactlyInAnyOrder("${ArtifactsBucket.Arn}/executions/*",
                "${AuditArchiveBucket.Arn}/executions/archive/*");
    }

    @Test
    void executionFunction_changesOnlyTheAllowedRecordNames_ofThePlansRecordTypes() {
        Template template = Template.committed();

        List<JsonNode> changes = statements(template, "ExecutionFunction").stream()
                .filter(s -> allowed(List.of(s), "route53:ChangeResourceRecordSets")).toList();

        assertThat(changes).isNotEmpty().allSatisfy(statement -> {
            JsonNode condition = statement.path("Condition");
            assertThat(condition.path("ForAllValues:StringLike")
                    .path("route53:ChangeResourceRecordSetsNormalizedRecordNames").path("Ref").asText())
                    .isEqualTo("AllowedRecordNames");
            assertThat(values(condition.path("ForAllValues:StringEquals").path("route53:ChangeResourceRecordSetsRecordTypes")))
                    .containsExactlyInAnyOrder("A", "AAAA", "CNAME");
            assertThat(condition.path("Null").path("route53:ChangeResourceRecordSetsNormalizedRecordNames").asText())
                    .as("a request without record names must not pass a ForAllValues condition").isEqualTo("false");
            assertThat(condition.path("Null").path("route53:ChangeResourceRecordSetsRecordTypes").asText())
                    .isEqualTo("false");
        });
    }

    @Test
    void aDeploymentWithHostedZones_mustNameTheRecords() {
        Template template = Template.committed();

        JsonNode rule = template.root().path("Rules").path("RecordNamesWithZones");

        assertThat(rule.path("RuleCondition").toString()).contains("\"Ref\":\"AllowedHostedZoneIds\"", "NONE");
        assertThat(rule.path("Assertions").path(0).path("Assert").toString())
                .contains("\"Ref\":\"AllowedRecordNames\"", "NONE");
    }

    @Test
    void statementsInsideFnIf_count() {
        Template template = Template.committed();

        List<JsonNode> statements = statements(template, "ExecutionFunction");

        assertThat(allowed(statements, "route53:ChangeResourceRecordSets")).isTrue();
        assertThat(allowed(statements, "route53:DeleteHostedZone")).isFalse();
    }

    private static List<String> missingPermissions(Template template) {
        List<String> problems = new ArrayList<>();
        CALLS.forEach((function, calls) -> {
            List<JsonNode> statements = statements(template, function);
            calls.forEach((action, where) -> {
                if (!allowed(statements, action)) {
                    problems.add(function + ": " + action + " (" + where + ") is not allowed");
                }
            });
        });
        problems.sort(null);
        return problems;
    }

    private static List<String> writesOnStar(Template template) {
        List<String> problems = new ArrayList<>();
        template.resources().forEach((id, resource) -> {
            for (JsonNode document : policyDocuments(resource)) {
                for (JsonNode statement : flatten(document.path("Statement"))) {
                    boolean onStar = values(statement.path("Resource")).contains("*");
                    if (statement.path("Effect").asText().equals("Allow") && onStar) {
                        for (String action : values(statement.path("Action"))) {
                            if (!READ.matcher(action.substring(action.indexOf(':') + 1)).matches()) {
                                problems.add(id + " (" + statement.path("Sid").asText("no Sid") + "): " + action);
                            }
                        }
                    }
                }
            }
        });
        return problems;
    }

    /** The statements a function's code runs with: its SAM Policies, or its Role's policies and attached Policies. */
    static List<JsonNode> statements(Template template, String function) {
        JsonNode properties = template.resource(function).path("Properties");
        List<JsonNode> out = new ArrayList<>();
        JsonNode role = properties.path("Role");
        if (role.isMissingNode()) {
            for (JsonNode policy : properties.path("Policies")) {
                out.addAll(flatten(policy.path("Statement")));
            }
            return out;
        }
        String roleId = role.path("Fn::GetAtt").path(0).asText();
        for (JsonNode document : policyDocuments(template.resource(roleId))) {
            out.addAll(flatten(document.path("Statement")));
        }
        template.resources().forEach((id, resource) -> {
            if (resource.path("Type").asText().equals("AWS::IAM::Policy")
                    && values(resource.path("Properties").path("Roles")).contains("Ref:" + roleId)) {
                out.addAll(flatten(resource.path("Properties").path("PolicyDocument").path("Statement")));
            }
        });
        return out;
    }

    /** The identity-policy documents of a resource; trust and bucket policies are not about what the code may call. */
    static List<JsonNode> policyDocuments(JsonNode resource) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode properties = resource.path("Properties");
        switch (resource.path("Type").asText()) {
            case "AWS::Serverless::Function" -> properties.path("Policies").forEach(p -> {
                if (p.has("Statement")) {
                    out.add(p);
                }
            });
            case "AWS::IAM::Role" -> properties.path("Policies").forEach(p -> out.add(p.path("PolicyDocument")));
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> out.add(properties.path("PolicyDocument"));
            default -> {
            }
        }
        return out;
    }

    /** Statements with every {@code Fn::If} branch taken and {@code AWS::NoValue} dropped. */
    static List<JsonNode> flatten(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.addAll(flatten(n)));
        } else if (node.has("Fn::If")) {
            out.addAll(flatten(node.path("Fn::If").path(1)));
            out.addAll(flatten(node.path("Fn::If").path(2)));
        } else if (node.isObject() && !node.path("Ref").asText().equals("AWS::NoValue")) {
            out.add(node);
        }
        return out;
    }

    static boolean allowed(List<JsonNode> statements, String action) {
        for (JsonNode statement : statements) {
            if (!statement.path("Effect").asText().equals("Allow")) {
                continue;
            }
            for (String granted : values(statement.path("Action"))) {
                String regex = Pattern.quote(granted.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
                if (action.toLowerCase(Locale.ROOT).matches(regex)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A statement's resources as text: literal ARNs, {@code Fn::Sub} strings, {@code Ref:<name>}, {@code <Id>.<Attribute>}. */
    static List<String> resources(JsonNode statement) {
        List<String> out = new ArrayList<>();
        JsonNode resource = statement.path("Resource");
        for (JsonNode r : resource.isArray() ? resource : List.of(resource)) {
            if (r.isTextual()) {
                out.add(r.asText());
            } else if (r.has("Fn::Sub") && r.path("Fn::Sub").isTextual()) {
                out.add(r.path("Fn::Sub").asText());
            } else if (r.has("Fn::GetAtt")) {
                out.add(r.path("Fn::GetAtt").path(0).asText() + "." + r.path("Fn::GetAtt").path(1).asText());
            } else if (r.has("Ref")) {
                out.add("Ref:" + r.path("Ref").asText());
            } else {
                out.add(r.toString());
            }
        }
        return out;
    }

    /** A string or a list of strings; a {@code Ref} is returned as {@code Ref:<name>}, other intrinsics are skipped. */
    static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.addAll(values(n)));
        } else if (node.has("Ref")) {
            out.add("Ref:" + node.path("Ref").asText());
        }
        return out;
    }
}
