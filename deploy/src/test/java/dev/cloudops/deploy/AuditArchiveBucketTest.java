package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The audit archive bucket of template.yaml: Object Lock in governance mode for AuditArchiveRetentionDays on every
 * new version, versioned, private, encrypted and TLS-only like the ArtifactsBucket; the execution function may only
 * put archives into it; and no role of the template may delete a version, change a retention or bypass governance
 * retention, on it or anywhere.
 */
class AuditArchiveBucketTest {

    private static final String BUCKET = "AuditArchiveBucket";

    /** What may delete, unlock or re-lock an archive, or change the bucket's lock or lifecycle. */
    private static final List<String> UNLOCKING = List.of("s3:BypassGovernanceRetention", "s3:DeleteObject",
            "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
            "s3:PutBucketObjectLockConfiguration", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
            "s3:DeleteBucketPolicy", "s3:PutBucketPolicy");

    @Test
    void locksEveryNewVersion_inGovernanceMode_forTheRetentionParameter() {
        JsonNode bucket = Template.committed().resource(BUCKET);
        JsonNode properties = bucket.path("Properties");

        assertThat(bucket.path("Type").asText()).isEqualTo("AWS::S3::Bucket");
        assertThat(properties.path("ObjectLockEnabled").asBoolean(false)).isTrue();
        assertThat(properties.path("ObjectLockConfiguration").path("ObjectLockEnabled").asText()).isEqualTo("Enabled");
        JsonNode retention = properties.path("ObjectLockConfiguration").path("Rule").path("DefaultRetention");
        assertThat(retention.path("Mode").asText()).isEqualTo("GOVERNANCE");
        assertThat(retention.path("Days").path("Ref").asText()).isEqualTo("AuditArchiveRetentionDays");
        assertThat(retention.has("Years")).as("Days and Years exclude each other").isFalse();
        assertThat(properties.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(bucket.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
    }

    @Test
    void retentionParameter_isANumberOfDays_withADefaultInsideItsBounds() {
        JsonNode parameter = Template.committed().root().path("Parameters").path("AuditArchiveRetentionDays");

        assertThat(parameter.path("Type").asText()).isEqualTo("Number");
        int min = parameter.path("MinValue").asInt();
        int max = parameter.path("MaxValue").asInt();
        assertThat(min).isGreaterThanOrEqualTo(1);
        assertThat(max).isGreaterThan(min).isLessThanOrEqualTo(36_500);
        assertThat(parameter.path("Default").asInt()).isBetween(Math.max(min, 365), max);
    }

    @Test
    void isPrivateEncryptedAndTlsOnly_asTheArtifactsBucketIs() {
        Template template = Template.committed();
        JsonNode archive = template.resource(BUCKET).path("Properties");
        JsonNode artifacts = template.resource("ArtifactsBucket").path("Properties");

        for (String setting : List.of("BucketEncryption", "PublicAccessBlockConfiguration", "OwnershipControls")) {
            assertThat(archive.path(setting)).as(setting).isEqualTo(artifacts.path(setting));
        }
        assertThat(archive.path("PublicAccessBlockConfiguration").properties()).hasSize(4)
                .allSatisfy(e -> assertThat(e.getValue().asBoolean()).as(e.getKey()).isTrue());
        JsonNode policy = bucketPolicyOf(template, BUCKET);
        List<JsonNode> statements = PermissionsTest.flatten(policy.path("PolicyDocument").path("Statement"));
        assertThat(statements).singleElement().satisfies(tls -> {
            assertThat(tls.path("Effect").asText()).isEqualTo("Deny");
            assertThat(tls.path("Action").asText()).isEqualTo("s3:*");
            assertThat(PermissionsTest.resources(tls)).containsExactlyInAnyOrder(BUCKET + ".Arn",
                    "${" + BUCKET + ".Arn}/*");
            assertThat(tls.path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
        });
    }

    @Test
    void lifecycle_neverExpiresACurrentArchive() {
        JsonNode rules = Template.committed().resource(BUCKET).path("Properties").path("LifecycleConfiguration")
                .path("Rules");

        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.has("ExpirationInDays")).as("rule %s", rule.path("Id").asText()).isFalse();
            assertThat(rule.has("ExpirationDate")).isFalse();
            assertThat(rule.path("ExpiredObjectDeleteMarker").asBoolean(false)).isFalse();
        });
    }

    @Test
    void theExecutionFunction_isToldTheBucket_andMayOnlyPutArchivesIntoIt() {
        Template template = Template.committed();

        JsonNode env = template.resource("ExecutionFunction").path("Properties").path("Environment").path("Variables");
        List<JsonNode> onArchive = PermissionsTest.statements(template, "ExecutionFunction").stream()
                .filter(s -> PermissionsTest.resources(s).stream().anyMatch(r -> r.contains(BUCKET))).toList();

        assertThat(env.path("AUDIT_ARCHIVE_BUCKET").path("Ref").asText()).isEqualTo(BUCKET);
        assertThat(onArchive).singleElement().satisfies(statement -> {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(PermissionsTest.values(statement.path("Action"))).containsExactly("s3:PutObject");
            assertThat(PermissionsTest.resources(statement)).containsExactly("${" + BUCKET + ".Arn}/executions/archive/*");
            assertThat(statement.has("NotAction")).isFalse();
        });
    }

    @Test
    void noPolicyOfTheTemplate_mayDeleteUnlockOrBypassTheLock() {
        List<String> problems = unlockingGrants(Template.committed());

        assertThat(problems).isEmpty();
    }

    @Test
    void onlyItsPolicy_theExecutionRole_theExecutionFunctionsEnvironment_andAnOutput_nameTheBucket() {
        Template template = Template.committed();

        Set<String> naming = namedIn(template);

        assertThat(naming).containsExactlyInAnyOrder("Resources.AuditArchiveBucketPolicy", "Resources.ExecutionRole",
                "Resources.ExecutionFunction", "Outputs.AuditArchiveBucketName");
        assertThat(template.root().path("Outputs").path("AuditArchiveBucketName").path("Value").path("Ref").asText())
                .isEqualTo(BUCKET);
    }

    @Test
    void aGrantOfBypassOrDelete_isReported() {
        Template broken = Template.committed();
        ArrayNode execution = (ArrayNode) broken.resource("ExecutionRole").path("Properties").path("Policies").get(0)
                .path("PolicyDocument").path("Statement");
        ObjectNode bypass = execution.addObject();
        bypass.put("Effect", "Allow");
        bypass.putArray("Action").add("s3:Delete*").add("s3:BypassGovernanceRetention");
        bypass.putObject("Resource").put("Fn::Sub", "${AuditArchiveBucket.Arn}/*");
        ObjectNode everywhere = execution.addObject();
        everywhere.put("Effect", "Allow");
        everywhere.put("Action", "s3:*");
        everywhere.put("Resource", "*");

        List<String> problems = unlockingGrants(broken);

        assertThat(problems).contains("ExecutionRole: s3:BypassGovernanceRetention on ${AuditArchiveBucket.Arn}/*",
                "ExecutionRole: s3:DeleteObjectVersion on ${AuditArchiveBucket.Arn}/*",
                "ExecutionRole: s3:BypassGovernanceRetention on *", "ExecutionRole: s3:PutObjectRetention on *");
    }

    /**
     * Allow statements of any identity or bucket policy that grant one of {@link #UNLOCKING} on the archive bucket,
     * on "*" or on every bucket; s3:BypassGovernanceRetention on anything at all.
     */
    private static List<String> unlockingGrants(Template template) {
        List<String> problems = new ArrayList<>();
        template.resources().forEach((id, resource) -> {
            List<JsonNode> documents = new ArrayList<>(PermissionsTest.policyDocuments(resource));
            if (resource.path("Type").asText().equals("AWS::S3::BucketPolicy")) {
                documents.add(resource.path("Properties").path("PolicyDocument"));
            }
            for (JsonNode document : documents) {
                for (JsonNode statement : PermissionsTest.flatten(document.path("Statement"))) {
                    if (!statement.path("Effect").asText().equals("Allow")) {
                        continue;
                    }
                    for (String resourceArn : PermissionsTest.resources(statement)) {
                        boolean archive = resourceArn.contains(BUCKET) || resourceArn.equals("*")
                                || resourceArn.matches("arn:[^:]*:s3:::\\*.*") || resourceArn.contains("s3:::${");
                        for (String action : UNLOCKING) {
                            boolean anywhere = action.equals("s3:BypassGovernanceRetention");
                            if ((archive || anywhere) && PermissionsTest.allowed(List.of(statement), action)) {
                                problems.add(id + ": " + action + " on " + resourceArn);
                            }
                        }
                    }
                }
            }
        });
        return problems;
    }

    /** Where in the template the bucket is named (Ref, GetAtt, Sub), as Section.Id. */
    private static Set<String> namedIn(Template template) {
        Set<String> out = new TreeSet<>();
        for (String section : List.of("Resources", "Outputs", "Conditions", "Globals")) {
            for (Map.Entry<String, JsonNode> entry : template.root().path(section).properties()) {
                if (entry.getKey().equals(BUCKET)) {
                    continue;
                }
                boolean names = Template.walk(entry.getValue()).stream().anyMatch(n ->
                        n.path("Ref").asText().equals(BUCKET)
                                || n.path("Fn::GetAtt").path(0).asText().equals(BUCKET)
                                || (n.isTextual() && n.asText().contains("${" + BUCKET)));
                if (names) {
                    out.add(section + "." + entry.getKey());
                }
            }
        }
        return out;
    }

    private static JsonNode bucketPolicyOf(Template template, String bucket) {
        List<JsonNode> policies = new ArrayList<>();
        template.resources().forEach((id, resource) -> {
            if (resource.path("Type").asText().equals("AWS::S3::BucketPolicy")
                    && resource.path("Properties").path("Bucket").path("Ref").asText().equals(bucket)) {
                policies.add(resource.path("Properties"));
            }
        });
        assertThat(policies).as("bucket policies of %s", bucket).hasSize(1);
        return policies.getFirst();
    }
}
