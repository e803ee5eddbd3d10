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
 * Every AWS call the functions' code can make is allowed by that function's policy in template.yaml (the changes of
 * a plan by the executor role, whose sessions the execution function assumes), optional permissions left out on
 * purpose are really left out, and no statement allows a write on every resource. Statements inside {@code Fn::If}
 * count: they hold when their condition does.
 */
class PermissionsTest {

    /** The role the execution function's plan sessions are of: the only holder of writes on what plans change. */
    static final String EXECUTOR = "ExecutorRole";

    /**
     * The IAM actions each function's code calls, and where (ShippedJarsIT checks their jars keep them). The key is
     * the function, or for ExecutorRole the role: the execution function's code makes those calls in a session of it.
     */
    static final Map<String, Map<String, String>> CALLS = Map.of(
            "MonitorFunction", Map.ofEntries(
                    Map.entry("dynamodb:PutItem", "DynamoDbAlertRepository.create, DynamoDbProbeStateStore, DynamoDbOpenAlertClaims, DynamoDbRunbookStore.replace: counting a runbook's use"),
                    Map.entry("dynamodb:GetItem", "DynamoDbAlertRepository.find, DynamoDbProbeStateStore, DynamoDbOpenAlertClaims, DynamoDbRunbookStore.find"),
                    Map.entry("dynamodb:Scan", "DynamoDbRunbookStore.list: the active runbooks proposed before any analysis (Control table only)"),
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
                    Map.entry("dynamodb:GetItem", "DynamoDbAlertRepository.find, DynamoDbRunbookStore.find"),
                    Map.entry("dynamodb:UpdateItem", "DynamoDbAlertRepository.apply/appendEvent, NotificationDispatcher"),
                    Map.entry("dynamodb:Query", "DynamoDbAlertRepository.listByStatus: the review queue"),
                    Map.entry("dynamodb:PutItem", "DynamoDbRunbookStore.replace: promoting a runbook (Control table only)"),
                    Map.entry("dynamodb:Scan", "DynamoDbRunbookStore.list: the runbooks page (Control table only)"),
                    Map.entry("s3:GetObject", "S3ArtifactStore.get (report, evidence) and the presigned report link"),
                    Map.entry("s3:ListBucket", "S3ArtifactStore.get: a missing key must answer NoSuchKey, not AccessDenied"),
                    Map.entry("sns:Publish", "SnsExecutionTrigger, SnsEmailNotifier"),
                    Map.entry("secretsmanager:GetSecretValue", "AwsClients.secret: the review-link key and webhook URLs"),
                    Map.entry("logs:CreateLogStream", "CloudWatchLogsAuditTrail: the audit log stream"),
                    Map.entry("logs:PutLogEvents", "CloudWatchLogsAuditTrail: audit events")),
            "ExecutionFunction", Map.ofEntries(
                    Map.entry("acm:DescribeCertificate", "AcmEvidenceFacts: the certificate facts an evidence item names"),
                    Map.entry("dynamodb:GetItem", "DynamoDbAlertRepository.find, DynamoDbControlLocks"),
                    Map.entry("dynamodb:UpdateItem", "DynamoDbAlertRepository.apply/appendEvent, DynamoDbControlLocks (hourly count)"),
                    Map.entry("dynamodb:PutItem", "DynamoDbControlLocks (locks), DynamoDbDeferredExecutions: the Control table only"),
                    Map.entry("dynamodb:DeleteItem", "DynamoDbControlLocks (release), DynamoDbDeferredExecutions"),
                    Map.entry("dynamodb:Scan", "DynamoDbDeferredExecutions.due"),
                    Map.entry("s3:GetObject", "S3ArtifactStore.get (analysis, evidence) and the presigned log link"),
                    Map.entry("s3:PutObject", "S3ArtifactStore.put: execution logs and archives of closed alerts (executions/)"),
                    Map.entry("s3:ListBucket", "S3ArtifactStore.get: a missing key must answer NoSuchKey, not AccessDenied"),
                    Map.entry("sts:AssumeRole", "PlanCredentials: a session of the executor role with the approved plan's session policy"),
                    Map.entry("iam:SimulatePrincipalPolicy", "IamPermissionChecker: preflight simulates the executor role"),
                    Map.entry("iam:SimulateCustomPolicy", "IamPermissionChecker: preflight simulates the session policy"),
                    Map.entry("bedrock:InvokeAgent", "AgentModeRunner (AgentConversation)"),
                    Map.entry("secretsmanager:GetSecretValue", "AwsClients.secret: webhook URLs and the review-link key"),
                    Map.entry("logs:CreateLogStream", "CloudWatchLogsAuditTrail: the audit log stream"),
                    Map.entry("logs:PutLogEvents", "CloudWatchLogsAuditTrail: audit events"),
                    Map.entry("sns:Publish", "SnsEmailNotifier")),
            EXECUTOR, Map.ofEntries(
                    Map.entry("route53:ListResourceRecordSets", "Route53Executor: observe before changing"),
                    Map.entry("route53:ChangeResourceRecordSets", "Route53Executor, AcmExecutor (validation record)"),
                    Map.entry("route53:GetChange", "Route53Executor: wait for INSYNC"),
                    Map.entry("route53:ListHostedZonesByName", "AcmExecutor: the zone of the validation record"),
                    Map.entry("cloudfront:GetDistribution", "CloudFrontExecutor: config and ETag"),
                    Map.entry("cloudfront:UpdateDistribution", "CloudFrontExecutor"),
                    Map.entry("cloudfront:CreateInvalidation", "CloudFrontExecutor"),
                    Map.entry("acm:DescribeCertificate", "AcmExecutor: the requested certificate's validation records"),
                    Map.entry("acm:ListCertificates", "AcmExecutor: an existing certificate for the name")));

    /** The services whose resources plans change: only the executor role may act on them. */
    private static final List<String> PLAN_SERVICES = List.of("route53", "cloudfront", "acm");

    /**
     * The one read of those services the execution function's own role makes, and why: preflight re-reads the
     * certificate an evidence item names, which the plan (and so its session policy) may not name.
     */
    private static final Map<String, String> EXECUTION_PLAN_SERVICE_READS = Map.of("acm:DescribeCertificate",
            "AcmEvidenceFacts: the certificate facts an evidence item names");

    /**
     * What the execution function's role may write besides assuming the executor role: its own stores,
     * notifications, dead letters, audit trail and agent (as they appear in {@link #resources}).
     */
    private static final List<String> EXECUTION_OWN = List.of("AlertsTable.Arn", "${AlertsTable.Arn}/",
            "ControlTable.Arn", "${ArtifactsBucket.Arn}/executions/", "${AuditArchiveBucket.Arn}/executions/archive/",
            "Ref:NotificationsTopic", "ExecutionDeadLetterQueue.Arn", "${AuditLogGroup.Arn}", "ExecutorRole.Arn",
            ":agent-alias/");

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
                    "kms:GenerateDataKey", "S3ArtifactStore with ARTIFACTS_KMS_KEY_ID: the bucket uses SSE-S3"),
            EXECUTOR, Map.of(
                    "acm:RequestCertificate", "AcmExecutor: a certificate has no ARN before it is requested, so allowing "
                            + "it means a write on \"*\"; grant it in a stack that wants certificate requests"));

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

        List<String> functions = template.idsOfType("AWS::Serverless::Function");
        assertThat(CALLS.keySet()).containsAll(functions);
        for (String function : functions) {
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

        List<String> problems = presentButDeliberatelyAbsent(template);

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
        ArrayNode executor = (ArrayNode) broken.resource(EXECUTOR).path("Properties").path("Policies").get(0)
                .path("PolicyDocument").path("Statement");
        executor.removeAll();
        ObjectNode request = executor.addObject();
        request.put("Effect", "Allow");
        request.put("Action", "acm:RequestCertificate");
        request.put("Resource", "*");

        List<String> missing = missingPermissions(broken);
        List<String> writes = writesOnStar(broken);
        List<String> present = presentButDeliberatelyAbsent(broken);

        assertThat(missing).contains("MonitorFunction: cloudtrail:LookupEvents (AwsEvidenceCollector, "
                + "AwsAgentTools.lookup_recent_changes) is not allowed",
                        "ExecutorRole: route53:ChangeResourceRecordSets (Route53Executor, AcmExecutor (validation record)) is not allowed")
                .anyMatch(p -> p.startsWith("ExecutionFunction: dynamodb:Scan"))
                // the attached policy still counts for the execution function's role
                .noneMatch(p -> p.startsWith("ExecutionFunction: iam:SimulatePrincipalPolicy"))
                .noneMatch(p -> p.startsWith("ExecutionFunction: sts:AssumeRole"));
        assertThat(writes).anyMatch(p -> p.contains("MonitorFunction") && p.contains("route53:ChangeResourceRecordSets"))
                .contains("ExecutorRole (no Sid): acm:RequestCertificate");
        assertThat(present).containsExactly("ExecutorRole: acm:RequestCertificate is allowed; move it to CALLS");
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
    void executorRole_changesOnlyTheAllowedRecordNames_ofThePlansRecordTypes() {
        Template template = Template.committed();

        List<JsonNode> changes = statements(template, EXECUTOR).stream()
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

        List<JsonNode> statements = statements(template, EXECUTOR);

        assertThat(allowed(statements, "route53:ChangeResourceRecordSets")).isTrue();
        assertThat(allowed(statements, "route53:DeleteHostedZone")).isFalse();
    }

    @Test
    void theExecutionFunctionsRole_mayNotActOnWhatPlansChange_andWritesOnlyItsOwnStores() {
        Template template = Template.committed();

        List<String> problems = executionRoleProblems(template);

        assertThat(statements(template, "ExecutionFunction")).as("the execution function's role and attached policies")
                .anyMatch(s -> allowed(List.of(s), "sts:AssumeRole"));
        assertThat(problems).isEmpty();
    }

    @Test
    void theExecutorRole_trustsExactlyTheExecutionFunctionsRole_forAssumeRoleOnly() {
        Template template = Template.committed();

        List<String> problems = trustProblems(template);

        assertThat(problems).isEmpty();
    }

    @Test
    void onlyTheExecutionFunctionsRole_mayAssumeARole() {
        Template template = Template.committed();

        List<String> problems = assumeRoleGrantsOutsideTheExecutionRole(template);

        assertThat(problems).isEmpty();
    }

    @Test
    void theExecutorRolesSessions_lastAnHourAtMost() {
        Template template = Template.committed();

        List<String> problems = sessionDurationProblems(template);

        assertThat(problems).isEmpty();
    }

    /** noStatement_allowsAWriteOnEveryResource covers the executor role (the negative control above shows it reports it). */
    @Test
    void theWriteOnStarScan_readsTheExecutorRolesPolicy() {
        Template template = Template.committed();

        List<JsonNode> scanned = policyDocuments(template.resource(EXECUTOR)).stream()
                .flatMap(d -> flatten(d.path("Statement")).stream()).toList();

        assertThat(scanned).as("the executor role's statements the scan reads")
                .anySatisfy(st -> assertThat(st.path("Sid").asText()).isEqualTo("ReadBeforeWrite"))
                .anySatisfy(st -> assertThat(st.path("Sid").asText()).isEqualTo("AllowedDistributions"))
                .noneMatch(st -> st.has("NotAction") || st.has("NotResource"));
    }

    @Test
    void planRightsOnTheExecutionRole_aLooseTrust_aSecondAssumer_andALongSession_areReported() {
        Template broken = Template.committed();
        // A plan write in the attached policy (not only the inline ones), an AssumeRole on "*" inline.
        ArrayNode attached = (ArrayNode) broken.resource("ExecutionRoleAssumesExecutor").path("Properties")
                .path("PolicyDocument").path("Statement");
        ObjectNode write = attached.addObject();
        write.put("Effect", "Allow");
        write.put("Action", "route53:ChangeResourceRecordSets");
        write.putObject("Resource").put("Fn::Sub", "arn:${AWS::Partition}:route53:::hostedzone/Z1");
        ArrayNode inline = (ArrayNode) broken.resource("ExecutionRole").path("Properties").path("Policies").get(0)
                .path("PolicyDocument").path("Statement");
        ObjectNode assumeAny = inline.addObject();
        assumeAny.put("Effect", "Allow");
        assumeAny.put("Action", "sts:*");
        assumeAny.put("Resource", "*");
        ObjectNode everything = inline.addObject();
        everything.put("Effect", "Allow");
        everything.put("Action", "*");
        everything.putObject("Resource").putArray("Fn::GetAtt").add("AlertsTable").add("Arn");
        // The trust: a service principal and "*" beside the execution role, and a second action.
        ObjectNode trust = (ObjectNode) flatten(broken.resource(EXECUTOR).path("Properties")
                .path("AssumeRolePolicyDocument").path("Statement")).get(0);
        ((ObjectNode) trust.path("Principal")).put("Service", "lambda.amazonaws.com");
        trust.putArray("Action").add("sts:AssumeRole").add("sts:TagSession");
        ObjectNode open = ((ArrayNode) broken.resource(EXECUTOR).path("Properties").path("AssumeRolePolicyDocument")
                .path("Statement")).addObject();
        open.put("Effect", "Allow");
        open.put("Principal", "*");
        open.put("Action", "sts:AssumeRole");
        // Another role that may assume roles, and a twelve-hour session.
        ObjectNode monitor = ((ArrayNode) broken.resource("MonitorFunction").path("Properties").path("Policies").get(0)
                .path("Statement")).addObject();
        monitor.put("Effect", "Allow");
        monitor.put("Action", "sts:AssumeRole");
        monitor.putObject("Resource").putArray("Fn::GetAtt").add(EXECUTOR).add("Arn");
        ((ObjectNode) broken.resource(EXECUTOR).path("Properties")).put("MaxSessionDuration", 43200);
        ((ArrayNode) broken.resource("ExecutionRole").path("Properties").path("ManagedPolicyArns"))
                .add("arn:aws:iam::aws:policy/AmazonRoute53FullAccess");

        List<String> execution = executionRoleProblems(broken);
        List<String> trusts = trustProblems(broken);
        List<String> assumers = assumeRoleGrantsOutsideTheExecutionRole(broken);
        List<String> sessions = sessionDurationProblems(broken);

        assertThat(execution).contains("ExecutionFunction: route53:ChangeResourceRecordSets acts on route53",
                "ExecutionFunction: sts:* is allowed on *, not only on ExecutorRole.Arn",
                "ExecutionFunction: * acts on route53", "ExecutionFunction: * acts on cloudfront",
                "ExecutionFunction: * acts on acm", "ExecutionFunction: sts:* writes *",
                "ExecutionFunction: * is allowed on AlertsTable.Arn, not only on ExecutorRole.Arn",
                "ExecutionFunction: managed policy arn:aws:iam::aws:policy/AmazonRoute53FullAccess");
        assertThat(trusts).contains("ExecutorRole trust: principal Service lambda.amazonaws.com",
                "ExecutorRole trust: action sts:TagSession", "ExecutorRole trust: 2 statements, not one")
                .contains("ExecutorRole trust: principal *");
        assertThat(assumers).containsExactly("MonitorFunction may assume roles (sts:AssumeRole)");
        assertThat(sessions).containsExactly("ExecutorRole MaxSessionDuration 43200 > 3600");
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

    private static List<String> presentButDeliberatelyAbsent(Template template) {
        List<String> problems = new ArrayList<>();
        DELIBERATELY_ABSENT.forEach((function, actions) -> actions.keySet().stream()
                .filter(action -> allowed(statements(template, function), action))
                .forEach(action -> problems.add(function + ": " + action + " is allowed; move it to CALLS")));
        problems.sort(null);
        return problems;
    }

    /**
     * What the execution function's role (its inline policies and every policy attached to it) must not allow: any
     * action of the services plans change, sts:AssumeRole on anything but the executor role, NotAction or
     * NotResource, a write on anything but its own stores. Its managed policies must be the two AWS ones every traced
     * function has (logs of its own log group, X-Ray segments), which touch none of that.
     */
    private static List<String> executionRoleProblems(Template template) {
        List<String> problems = new ArrayList<>();
        template.resource("ExecutionRole").path("Properties").path("ManagedPolicyArns").forEach(arn -> {
            String text = arn.isTextual() ? arn.asText() : arn.path("Fn::Sub").asText(arn.toString());
            if (!text.equals("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
                    && !text.equals("arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess")) {
                problems.add("ExecutionFunction: managed policy " + text);
            }
        });
        for (JsonNode statement : statements(template, "ExecutionFunction")) {
            if (!statement.path("Effect").asText().equals("Allow")) {
                continue;
            }
            if (statement.has("NotAction") || statement.has("NotResource")) {
                problems.add("ExecutionFunction: " + statement.path("Sid").asText("no Sid") + " uses NotAction or NotResource");
            }
            List<String> resources = resources(statement);
            List<String> actions = values(statement.path("Action"));
            if (allowed(List.of(statement), "sts:AssumeRole") && !resources.equals(List.of(EXECUTOR + ".Arn"))) {
                problems.add("ExecutionFunction: " + String.join(", ", actions) + " is allowed on "
                        + String.join(", ", resources) + ", not only on " + EXECUTOR + ".Arn");
            }
            for (String action : actions) {
                String service = action.contains(":") ? action.substring(0, action.indexOf(':')) : action;
                String servicePattern = Pattern.quote(service.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
                if (!EXECUTION_PLAN_SERVICE_READS.containsKey(action)) {
                    PLAN_SERVICES.stream().filter(s -> s.matches(servicePattern))
                            .forEach(s -> problems.add("ExecutionFunction: " + action + " acts on " + s));
                }
                if (!READ.matcher(action.substring(action.indexOf(':') + 1)).matches()) {
                    resources.stream().filter(r -> EXECUTION_OWN.stream().noneMatch(r::contains))
                            .forEach(r -> problems.add("ExecutionFunction: " + action + " writes " + r));
                }
            }
        }
        return problems;
    }

    /** The executor role's trust: one statement, Allow sts:AssumeRole, the execution function's role as the only principal. */
    private static List<String> trustProblems(Template template) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> trust = flatten(template.resource(EXECUTOR).path("Properties").path("AssumeRolePolicyDocument")
                .path("Statement"));
        if (trust.size() != 1) {
            problems.add(EXECUTOR + " trust: " + trust.size() + " statements, not one");
        }
        for (JsonNode statement : trust) {
            if (!statement.path("Effect").asText().equals("Allow")) {
                continue;
            }
            for (String field : List.of("NotAction", "NotPrincipal", "NotResource")) {
                if (statement.has(field)) {
                    problems.add(EXECUTOR + " trust: " + field);
                }
            }
            values(statement.path("Action")).stream().filter(a -> !a.equals("sts:AssumeRole"))
                    .forEach(a -> problems.add(EXECUTOR + " trust: action " + a));
            if (values(statement.path("Action")).isEmpty()) {
                problems.add(EXECUTOR + " trust: no action");
            }
            JsonNode principal = statement.path("Principal");
            if (!principal.isObject()) {
                problems.add(EXECUTOR + " trust: principal " + (principal.isTextual() ? principal.asText() : principal));
                continue;
            }
            principal.properties().forEach(e -> {
                JsonNode value = e.getValue();
                boolean executionRole = e.getKey().equals("AWS") && value.isObject()
                        && value.path("Fn::GetAtt").toString().equals("[\"ExecutionRole\",\"Arn\"]");
                if (!executionRole) {
                    problems.add(EXECUTOR + " trust: principal " + e.getKey() + " " + (value.isTextual() ? value.asText() : value));
                }
            });
            if (!principal.has("AWS")) {
                problems.add(EXECUTOR + " trust: the execution function's role is not the principal");
            }
        }
        return problems;
    }

    /** Every identity policy of the template that allows sts:AssumeRole, except the one attached to the execution role. */
    private static List<String> assumeRoleGrantsOutsideTheExecutionRole(Template template) {
        List<String> problems = new ArrayList<>();
        template.resources().forEach((id, resource) -> {
            boolean executionRoles = id.equals("ExecutionRole") || resource.path("Type").asText().equals("AWS::IAM::Policy")
                    && values(resource.path("Properties").path("Roles")).equals(List.of("Ref:ExecutionRole"));
            for (JsonNode document : policyDocuments(resource)) {
                if (!executionRoles && allowed(flatten(document.path("Statement")), "sts:AssumeRole")) {
                    problems.add(id + " may assume roles (sts:AssumeRole)");
                }
            }
        });
        return problems;
    }

    /** Role chaining caps a Lambda function's session at an hour: the role must not promise more. */
    private static List<String> sessionDurationProblems(Template template) {
        JsonNode duration = template.resource(EXECUTOR).path("Properties").path("MaxSessionDuration");
        if (!duration.isNumber() && !duration.isTextual()) {
            return List.of(EXECUTOR + " sets no MaxSessionDuration");
        }
        int seconds = duration.asInt();
        return seconds <= 3600 ? List.of() : List.of(EXECUTOR + " MaxSessionDuration " + seconds + " > 3600");
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

    /**
     * The statements a function's code runs with: its SAM Policies, or its Role's policies and attached Policies. Given
     * a role's logical id (an AWS::IAM::Role), that role's policies and the policies attached to it.
     */
    static List<JsonNode> statements(Template template, String functionOrRole) {
        JsonNode resource = template.resource(functionOrRole);
        if (resource.path("Type").asText().equals("AWS::IAM::Role")) {
            return roleStatements(template, functionOrRole);
        }
        JsonNode properties = resource.path("Properties");
        List<JsonNode> out = new ArrayList<>();
        JsonNode role = properties.path("Role");
        if (role.isMissingNode()) {
            for (JsonNode policy : properties.path("Policies")) {
                out.addAll(flatten(policy.path("Statement")));
            }
            return out;
        }
        return roleStatements(template, role.path("Fn::GetAtt").path(0).asText());
    }

    private static List<JsonNode> roleStatements(Template template, String roleId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode document : policyDocuments(template.resource(roleId))) {
            out.addAll(flatten(document.path("Statement")));
        }
        template.resources().forEach((id, resource) -> {
            boolean attachable = resource.path("Type").asText().equals("AWS::IAM::Policy")
                    || resource.path("Type").asText().equals("AWS::IAM::ManagedPolicy");
            if (attachable && values(resource.path("Properties").path("Roles")).contains("Ref:" + roleId)) {
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
