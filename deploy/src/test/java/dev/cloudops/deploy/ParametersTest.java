package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The parameters that become resource ARNs of the functions' policies accept only single resources: CloudFormation
 * matches a list parameter's AllowedPattern against each value, so a pattern without wildcards keeps "*" out of
 * every ARN built from the list.
 */
class ParametersTest {

    private static final List<String> WILDCARDS = List.of("*", "Z*", "Z0123?", "E2QWRUHAPOMQZ*", "my-bucket*",
            "arn:aws:route53:::hostedzone/*", "/hostedzone/Z0123456789", "", " Z0123456789");

    @Test
    void hostedZoneIds_acceptZoneIds_andRefuseWildcards() {
        Pattern pattern = allowedPattern("AllowedHostedZoneIds");

        assertThat(List.of("NONE", "Z0123456789ABCDEFGHIJ", "Z1D633PJN98FT9")).allMatch(v -> pattern.matcher(v).matches());
        assertThat(WILDCARDS).noneMatch(v -> pattern.matcher(v).matches());
    }

    @Test
    void distributionIds_acceptDistributionIds_andRefuseWildcards() {
        Pattern pattern = allowedPattern("AllowedDistributionIds");

        assertThat(List.of("NONE", "E2QWRUHAPOMQZL")).allMatch(v -> pattern.matcher(v).matches());
        assertThat(WILDCARDS).noneMatch(v -> pattern.matcher(v).matches());
    }

    @Test
    void originBucketNames_acceptBucketNames_andRefuseWildcards() {
        Pattern pattern = allowedPattern("OriginBucketNames");

        assertThat(List.of("NONE", "www.example.com", "my-site-origin")).allMatch(v -> pattern.matcher(v).matches());
        assertThat(WILDCARDS).noneMatch(v -> pattern.matcher(v).matches());
    }

    @Test
    void recordNames_acceptNamesAndTheNamesBelowOne_andRefuseWildcardsOfWholeZonesOrLabels() {
        Pattern pattern = allowedPattern("AllowedRecordNames");

        assertThat(List.of("NONE", "www.example.com", "example.com", "*.example.com", "*.www.example.com",
                "_3639ac514e785e898d2646601fa951d5.www.example.com")).allMatch(v -> pattern.matcher(v).matches());
        assertThat(List.of("*", "*.com", "*example.com", "www.*.example.com", "w*.example.com", "www.example.com.",
                "WWW.example.com", "com", "")).noneMatch(v -> pattern.matcher(v).matches());
    }

    @Test
    void probeRegions_acceptRegionListsOrNothing_andRefuseSpacesWildcardsAndEmptyItems() {
        Pattern home = allowedPattern("ProbeRegions");
        Pattern probe = allowedPattern(Template.probeRegion(), "ProbeRegions");

        assertThat(List.of("", "us-east-1", "us-east-1,eu-west-1,ap-southeast-2", "us-gov-west-1,eu-central-2"))
                .allMatch(v -> home.matcher(v).matches());
        List<String> bad = List.of("*", "us-east-1, eu-west-1", "us-east-1,", ",us-east-1", "US-EAST-1", "us-east-*",
                "us-east-1,,eu-west-1", "useast1");
        assertThat(bad).noneMatch(v -> home.matcher(v).matches());
        // A probe region is one of at least two.
        assertThat(List.of("us-east-1,eu-west-1", "us-east-1,eu-west-1,ap-southeast-2")).allMatch(v -> probe.matcher(v).matches());
        assertThat(List.of("", "eu-west-1")).noneMatch(v -> probe.matcher(v).matches());
        assertThat(bad).noneMatch(v -> probe.matcher(v).matches());
    }

    /** Without ProbeRegions one region probes alone: a larger Quorum could never be met, and is refused at deploy. */
    @Test
    void aQuorumAboveOne_needsProbeRegions() {
        JsonNode rule = Template.committed().root().path("Rules").path("OneRegionQuorum");

        assertThat(rule.path("RuleCondition").path("Fn::Equals").toString()).isEqualTo("[{\"Ref\":\"ProbeRegions\"},\"\"]");
        assertThat(rule.path("Assertions").path(0).path("Assert").path("Fn::Equals").toString())
                .isEqualTo("[{\"Ref\":\"Quorum\"},\"1\"]");
    }

    /** The probe region's policy builds home-region ARNs from these names: none may widen them with a wildcard. */
    @Test
    void homeResourceNamesOfTheProbeRegion_refuseWildcards() {
        Template probe = Template.probeRegion();

        for (String parameter : List.of("HomeRegion", "HomeAlertsTable", "HomeControlTable", "HomeArtifactsBucket",
                "HomeAuditLogGroup", "HomeNotificationsTopic", "HomeAlertWorkflow", "BedrockAgentId",
                "BedrockAgentAliasId", "HomeReviewSigningSecretArn")) {
            Pattern pattern = allowedPattern(probe, parameter);
            assertThat(List.of("*", "a*", "alerts/*", "table/*", "us-east-?", "arn:aws:dynamodb:us-east-1:123456789012:table/*"))
                    .as(parameter).noneMatch(v -> pattern.matcher(v).matches());
        }
        assertThat(allowedPattern(probe, "HomeRegion").matcher("us-east-1").matches()).isTrue();
        assertThat(allowedPattern(probe, "HomeAlertsTable").matcher("cloudops-agent-quorum-AlertsTable-1A2B3C").matches()).isTrue();
        assertThat(allowedPattern(probe, "HomeReviewSigningSecretArn")
                .matcher("arn:aws:secretsmanager:us-east-1:123456789012:secret:ReviewSigningSecret-AbCdEf").matches()).isTrue();
    }

    /** The parameter's AllowedPattern, which its default must satisfy too. */
    static Pattern allowedPattern(String parameter) {
        return allowedPattern(Template.committed(), parameter);
    }

    /** The parameter's AllowedPattern in a template, which its default (if it has one) must satisfy too. */
    static Pattern allowedPattern(Template template, String parameter) {
        JsonNode p = template.root().path("Parameters").path(parameter);
        assertThat(p.path("AllowedPattern").isTextual()).as("%s has an AllowedPattern", parameter).isTrue();
        Pattern pattern = Pattern.compile(p.path("AllowedPattern").asText());
        if (!p.has("Default")) {
            return pattern;
        }
        for (String value : p.path("Default").asText().split(",", -1)) {
            assertThat(pattern.matcher(value).matches()).as("%s's default value %s", parameter, value).isTrue();
        }
        return pattern;
    }
}
