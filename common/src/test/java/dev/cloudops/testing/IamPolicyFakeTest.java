package dev.cloudops.testing;

import static dev.cloudops.testing.IamPolicyFake.Decision.ALLOWED;
import static dev.cloudops.testing.IamPolicyFake.Decision.EXPLICIT_DENY;
import static dev.cloudops.testing.IamPolicyFake.Decision.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.testing.IamPolicyFake.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link IamPolicyFake} decides as IAM documents it, and refuses what it does not implement. */
class IamPolicyFakeTest {

    private static final String ZONE = "arn:aws:route53:::hostedzone/Z1";
    private static final Map<String, List<String>> NONE = Map.of();

    /** A policy of one Allow statement on {@code route53:ChangeResourceRecordSets} of zone Z1. */
    private static String allowWith(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"route53:ChangeResourceRecordSets\",\"Resource\":\"" + ZONE + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}}";
    }

    private static Decision change(String policy, Map<String, List<String>> context) {
        return IamPolicyFake.evaluate(policy, "route53:ChangeResourceRecordSets", ZONE, context);
    }

    @Test
    void anAllowAllows_andNothingElse() {
        String policy = allowWith(null);

        assertThat(change(policy, NONE)).isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.evaluate(policy, "route53:ListResourceRecordSets", ZONE, NONE))
                .isEqualTo(IMPLICIT_DENY);
        assertThat(IamPolicyFake.evaluate(policy, "route53:ChangeResourceRecordSets",
                "arn:aws:route53:::hostedzone/Z2", NONE)).isEqualTo(IMPLICIT_DENY);
        assertThat(ALLOWED.iamName()).isEqualTo("allowed");
        assertThat(EXPLICIT_DENY.iamName()).isEqualTo("explicitDeny");
        assertThat(IMPLICIT_DENY.iamName()).isEqualTo("implicitDeny");
    }

    @Test
    void anExplicitDenyWins_overAnyAllow() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"route53:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"route53:Change*\",\"Resource\":\"" + ZONE + "\"}]}";

        assertThat(change(policy, NONE)).isEqualTo(EXPLICIT_DENY);
        assertThat(IamPolicyFake.evaluate(policy, "route53:ListResourceRecordSets", ZONE, NONE)).isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.evaluate(policy, "route53:ChangeResourceRecordSets",
                "arn:aws:route53:::hostedzone/Z2", NONE)).isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.evaluateTogether(List.of(allowWith(null), "{\"Statement\":{\"Effect\":\"Deny\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}}"), "route53:ChangeResourceRecordSets", ZONE, NONE))
                .as("a Deny in another policy of the same principal").isEqualTo(EXPLICIT_DENY);
    }

    @Test
    void actionsMatchWithoutCase_andWithWildcards_resourcesWithCaseAndWildcards() {
        String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"CloudFront:Get*\",\"acm:Describe?ertificate\"],"
                + "\"Resource\":[\"arn:aws:cloudfront::123456789012:distribution/E?\",\"arn:aws:acm:*:certificate/*\"]}}";
        String distribution = "arn:aws:cloudfront::123456789012:distribution/E1";

        assertThat(IamPolicyFake.evaluate(policy, "cloudfront:GetDistribution", distribution, NONE)).isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.evaluate(policy, "CLOUDFRONT:getdistributionconfig", distribution, NONE))
                .isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.evaluate(policy, "cloudfront:UpdateDistribution", distribution, NONE))
                .isEqualTo(IMPLICIT_DENY);
        assertThat(IamPolicyFake.evaluate(policy, "cloudfront:GetDistribution",
                "arn:aws:cloudfront::123456789012:distribution/E12", NONE)).as("? is exactly one character")
                .isEqualTo(IMPLICIT_DENY);
        assertThat(IamPolicyFake.evaluate(policy, "cloudfront:GetDistribution",
                "arn:aws:cloudfront::123456789012:distribution/e1", NONE)).as("resources keep their case")
                .isEqualTo(IMPLICIT_DENY);
        assertThat(IamPolicyFake.evaluate(policy, "acm:DescribeCertificate",
                "arn:aws:acm:us-east-1:123456789012:certificate/abc", NONE)).isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.evaluate(policy, "acm:DescribeCertificates",
                "arn:aws:acm:us-east-1:123456789012:certificate/abc", NONE)).isEqualTo(IMPLICIT_DENY);
    }

    @Test
    void stringEquals_andStringNotEquals() {
        String equals = allowWith("{\"StringEquals\":{\"acm:ValidationMethod\":[\"DNS\",\"HTTP\"]}}");
        String notEquals = allowWith("{\"StringNotEquals\":{\"acm:ValidationMethod\":[\"EMAIL\",\"HTTP\"]}}");

        assertThat(change(equals, Map.of("acm:ValidationMethod", List.of("DNS")))).isEqualTo(ALLOWED);
        assertThat(change(equals, Map.of("acm:ValidationMethod", List.of("HTTP")))).as("values OR").isEqualTo(ALLOWED);
        assertThat(change(equals, Map.of("acm:ValidationMethod", List.of("dns")))).as("values keep their case")
                .isEqualTo(IMPLICIT_DENY);
        assertThat(change(equals, Map.of("ACM:validationmethod", List.of("DNS")))).as("key names have no case")
                .isEqualTo(ALLOWED);
        assertThat(change(equals, NONE)).as("absent").isEqualTo(IMPLICIT_DENY);
        assertThat(change(notEquals, Map.of("acm:ValidationMethod", List.of("DNS")))).isEqualTo(ALLOWED);
        assertThat(change(notEquals, Map.of("acm:ValidationMethod", List.of("EMAIL")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(notEquals, Map.of("acm:ValidationMethod", List.of("HTTP")))).as("none may match")
                .isEqualTo(IMPLICIT_DENY);
        assertThat(change(notEquals, NONE)).as("absent: a negated operator holds").isEqualTo(ALLOWED);
    }

    @Test
    void stringLike_andStringNotLike() {
        String like = allowWith("{\"StringLike\":{\"aws:PrincipalTag/team\":[\"ops-*\",\"sre?\"]}}");
        String notLike = allowWith("{\"StringNotLike\":{\"aws:PrincipalTag/team\":\"ops-*\"}}");

        assertThat(change(like, Map.of("aws:PrincipalTag/team", List.of("ops-eu")))).isEqualTo(ALLOWED);
        assertThat(change(like, Map.of("aws:PrincipalTag/team", List.of("sre1")))).isEqualTo(ALLOWED);
        assertThat(change(like, Map.of("aws:PrincipalTag/team", List.of("sre12")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(like, Map.of("aws:PrincipalTag/team", List.of("OPS-eu")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(like, NONE)).isEqualTo(IMPLICIT_DENY);
        assertThat(change(notLike, Map.of("aws:PrincipalTag/team", List.of("dev")))).isEqualTo(ALLOWED);
        assertThat(change(notLike, Map.of("aws:PrincipalTag/team", List.of("ops-eu")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(notLike, NONE)).isEqualTo(ALLOWED);
    }

    @Test
    void aSingleValuedOperatorOnSeveralRequestValues_holdsWhenAnyMatches_itsNegationWhenNoneDoes() {
        String equals = allowWith("{\"StringEquals\":{\"aws:TagKeys\":\"a\"}}");
        String notEquals = allowWith("{\"StringNotEquals\":{\"aws:TagKeys\":\"a\"}}");

        assertThat(change(equals, Map.of("aws:TagKeys", List.of("a", "b")))).isEqualTo(ALLOWED);
        assertThat(change(equals, Map.of("aws:TagKeys", List.of("b", "c")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(notEquals, Map.of("aws:TagKeys", List.of("a", "b")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(notEquals, Map.of("aws:TagKeys", List.of("b", "c")))).isEqualTo(ALLOWED);
    }

    @Test
    void forAllValues_holdsWhenEveryValueMatches_andWhenTheKeyIsAbsentOrEmpty() {
        String equals = allowWith("{\"ForAllValues:StringEquals\":{\"route53:ChangeResourceRecordSetsRecordTypes\":"
                + "[\"A\",\"AAAA\"]}}");
        String like = allowWith("{\"ForAllValues:StringLike\":{\"route53:ChangeResourceRecordSetsNormalizedRecordNames\":"
                + "\"_*.example.com\"}}");
        String types = "route53:ChangeResourceRecordSetsRecordTypes";
        String names = "route53:ChangeResourceRecordSetsNormalizedRecordNames";

        assertThat(change(equals, Map.of(types, List.of("A", "AAAA")))).isEqualTo(ALLOWED);
        assertThat(change(equals, Map.of(types, List.of("A", "TXT")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(equals, NONE)).as("absent").isEqualTo(ALLOWED);
        assertThat(change(equals, Map.of(types, List.of()))).as("empty").isEqualTo(ALLOWED);
        assertThat(change(like, Map.of(names, List.of("_x.example.com", "_y.example.com")))).isEqualTo(ALLOWED);
        assertThat(change(like, Map.of(names, List.of("_x.example.com", "www.example.com")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(like, NONE)).as("absent").isEqualTo(ALLOWED);
    }

    @Test
    void forAnyValue_holdsWhenOneValueMatches_neverWhenTheKeyIsAbsent() {
        String equals = allowWith("{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"owner\",\"team\"]}}");
        String like = allowWith("{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":\"cost-*\"}}");

        assertThat(change(equals, Map.of("aws:TagKeys", List.of("x", "team")))).isEqualTo(ALLOWED);
        assertThat(change(equals, Map.of("aws:TagKeys", List.of("x", "y")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(equals, NONE)).as("absent").isEqualTo(IMPLICIT_DENY);
        assertThat(change(equals, Map.of("aws:TagKeys", List.of()))).as("empty").isEqualTo(IMPLICIT_DENY);
        assertThat(change(like, Map.of("aws:TagKeys", List.of("cost-centre")))).isEqualTo(ALLOWED);
        assertThat(change(like, NONE)).isEqualTo(IMPLICIT_DENY);
    }

    @Test
    void nullTellsWhetherTheKeyIsAbsent() {
        String absent = allowWith("{\"Null\":{\"aws:TagKeys\":\"true\"}}");
        String present = allowWith("{\"Null\":{\"aws:TagKeys\":\"false\"}}");

        assertThat(change(absent, NONE)).isEqualTo(ALLOWED);
        assertThat(change(absent, Map.of("aws:TagKeys", List.of()))).as("no values").isEqualTo(ALLOWED);
        assertThat(change(absent, Map.of("aws:TagKeys", List.of("a")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(present, Map.of("aws:TagKeys", List.of("a")))).isEqualTo(ALLOWED);
        assertThat(change(present, NONE)).isEqualTo(IMPLICIT_DENY);
    }

    @Test
    void boolComparesTrueAndFalse() {
        String secure = allowWith("{\"Bool\":{\"aws:SecureTransport\":true}}");

        assertThat(change(secure, Map.of("aws:SecureTransport", List.of("true")))).isEqualTo(ALLOWED);
        assertThat(change(secure, Map.of("aws:SecureTransport", List.of("TRUE")))).isEqualTo(ALLOWED);
        assertThat(change(secure, Map.of("aws:SecureTransport", List.of("false")))).isEqualTo(IMPLICIT_DENY);
        assertThat(change(secure, NONE)).isEqualTo(IMPLICIT_DENY);
    }

    @Test
    void severalKeysAndOperators_mustAllHold() {
        String policy = allowWith("{\"ForAllValues:StringEquals\":{"
                + "\"route53:ChangeResourceRecordSetsNormalizedRecordNames\":\"www.example.com\","
                + "\"route53:ChangeResourceRecordSetsRecordTypes\":\"A\"},"
                + "\"Null\":{\"route53:ChangeResourceRecordSetsNormalizedRecordNames\":\"false\"}}");
        Map<String, List<String>> right = Map.of("route53:ChangeResourceRecordSetsNormalizedRecordNames",
                List.of("www.example.com"), "route53:ChangeResourceRecordSetsRecordTypes", List.of("A"));

        assertThat(change(policy, right)).isEqualTo(ALLOWED);
        assertThat(change(policy, Map.of("route53:ChangeResourceRecordSetsNormalizedRecordNames",
                List.of("www.example.com"), "route53:ChangeResourceRecordSetsRecordTypes", List.of("TXT"))))
                .as("the second key fails").isEqualTo(IMPLICIT_DENY);
        assertThat(change(policy, Map.of("route53:ChangeResourceRecordSetsRecordTypes", List.of("A"))))
                .as("the Null operator fails").isEqualTo(IMPLICIT_DENY);
    }

    @Test
    void whatItDoesNotImplement_throws() {
        String notAction = "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}}";
        String notResource = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"*\"}}";

        assertThatThrownBy(() -> change(notAction, NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NotAction");
        assertThatThrownBy(() -> change(notResource, NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NotResource");
        assertThatThrownBy(() -> change(allowWith("{\"StringEqualsIgnoreCase\":{\"k\":\"v\"}}"), NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StringEqualsIgnoreCase");
        assertThatThrownBy(() -> change(allowWith("{\"StringEqualsIfExists\":{\"k\":\"v\"}}"), NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IfExists");
        assertThatThrownBy(() -> change(allowWith("{\"ForAllValues:StringNotEquals\":{\"k\":\"v\"}}"), NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change(allowWith("{\"StringEquals\":{\"k\":\"${aws:username}\"}}"), NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy variables");
        assertThatThrownBy(() -> change("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}}", NONE))
                .as("no Resource").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> change("{\"Statement\":{\"Effect\":\"Permit\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
                NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Effect");
        assertThatThrownBy(() -> change("not json", NONE)).isInstanceOf(IllegalArgumentException.class);
        // an unsupported operator throws even in a statement that does not match the request
        assertThatThrownBy(() -> IamPolicyFake.evaluate(allowWith("{\"DateLessThan\":{\"aws:CurrentTime\":\"2030\"}}"),
                "s3:GetObject", "arn:aws:s3:::b/k", NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IamPolicyFake.validate(notAction)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIntersection_allowsOnlyWhatEveryDocumentAllows() {
        String role = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"route53:*\",\"Resource\":\"*\"}}";
        String session = allowWith(null);
        String denyZ1 = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"" + ZONE + "\"}]}";

        assertThat(IamPolicyFake.allowedByAll(List.of(role, session), "route53:ChangeResourceRecordSets", ZONE, NONE))
                .isTrue();
        assertThat(IamPolicyFake.evaluateIntersection(List.of(role, session), "route53:ListResourceRecordSets", ZONE,
                NONE)).as("the role allows it, the session does not").isEqualTo(IMPLICIT_DENY);
        assertThat(IamPolicyFake.evaluateIntersection(List.of(session, "{\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"acm:*\",\"Resource\":\"*\"}}"), "route53:ChangeResourceRecordSets", ZONE, NONE))
                .as("the session allows it, the role does not").isEqualTo(IMPLICIT_DENY);
        assertThat(IamPolicyFake.evaluateIntersection(List.of(session, denyZ1), "route53:ChangeResourceRecordSets",
                ZONE, NONE)).isEqualTo(EXPLICIT_DENY);
        assertThat(IamPolicyFake.evaluateTogether(List.of(role, "{\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"acm:*\",\"Resource\":\"*\"}}"), "acm:ListCertificates", "*", NONE))
                .as("together is the union").isEqualTo(ALLOWED);
        assertThat(IamPolicyFake.allowed(session, "route53:ChangeResourceRecordSets", ZONE, NONE)).isTrue();
        assertThatThrownBy(() -> IamPolicyFake.evaluateIntersection(List.of(), "s3:GetObject", "*", NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
