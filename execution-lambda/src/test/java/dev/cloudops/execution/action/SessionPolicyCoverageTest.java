package dev.cloudops.execution.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.execution.precheck.AcmEvidenceFacts;
import dev.cloudops.json.Json;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.plan.SessionPolicy;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateStatus;
import software.amazon.awssdk.services.acm.model.DescribeCertificateRequest;
import software.amazon.awssdk.services.acm.model.DescribeCertificateResponse;
import software.amazon.awssdk.services.acm.model.DomainValidation;
import software.amazon.awssdk.services.acm.model.ListCertificatesResponse;
import software.amazon.awssdk.services.acm.model.RecordType;
import software.amazon.awssdk.services.acm.model.RequestCertificateRequest;
import software.amazon.awssdk.services.acm.model.RequestCertificateResponse;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.UpdateDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.UpdateDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.GetChangeResponse;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameRequest;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Keeps {@link SessionPolicy} in step with the executors: runs each action of the catalog and its approved inverse
 * through the real executors (observe, apply, undo; and the pre-check's certificate read) against recording
 * stand-ins of the SDK clients, and checks that every AWS call they made is allowed by the session policy made
 * from the plan, on the resource it was made on, with the condition keys its request carries. The check is this
 * test's own reading of the policy (action, ARN pattern, the condition operators the generator uses), not IAM's;
 * a simulation with IAM itself is still to do.
 */
class SessionPolicyCoverageTest {

    private static final String ACCOUNT = "123456789012";
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final String PUBLIC_ZONE = "Z0PUBLIC0ZONE0OF0SHOP";
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String CERTIFICATE = "arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/8f1c2a5e-1b2c-4d3e";
    private static final String NEW_CERTIFICATE = "arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/new-one";

    /** One AWS call as IAM sees it: the action, the resource ARN, and the condition keys of the request. */
    private record Call(String action, String resource, Map<String, List<String>> context) {
    }

    private final List<Call> calls = new ArrayList<>();

    @Test
    void everyCallTheExecutorsMake_forEveryActionAndItsInverse_isAllowedByThePlansSessionPolicy() {
        Action.RecordSet alias = new Action.RecordSet(ZONE, "shop.example.com", "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
        Action.RecordSet wildcard = new Action.RecordSet(ZONE, "*.shop.example.com", "CNAME", 300L,
                List.of("shop.example.net"), null);
        Plan plan = new Plan("every action", List.of(
                step("S1", new Action.UpsertRecord(alias), new Inverse.Undo(new Action.DeleteRecord(alias))),
                step("S2", new Action.DeleteRecord(wildcard), new Inverse.Undo(new Action.UpsertRecord(wildcard))),
                step("S3", new Action.SetEnabled(DIST, true), new Inverse.Undo(new Action.SetEnabled(DIST, false))),
                step("S4", new Action.SetOrigin(DIST, "origin-1", "new.example.net"),
                        new Inverse.Undo(new Action.SetOrigin(DIST, "origin-1", "old.example.net"))),
                step("S5", new Action.SetViewerCertificate(DIST, CERTIFICATE, "TLSv1.2_2021"),
                        new Inverse.Irreversible("the old certificate expired")),
                step("S6", new Action.CreateInvalidation(DIST, List.of("/*")), new Inverse.Irreversible("caches")),
                step("S7", new Action.RequestCertificate("shop.example.com", List.of("www.shop.example.com")),
                        new Inverse.Irreversible("left for a person"))));
        SessionPolicy.Scoped policy = (SessionPolicy.Scoped) SessionPolicy.forPlan(plan, "aws", ACCOUNT,
                Duration.ofMinutes(30));
        Clock clock = Clock.systemUTC();
        Route53Client route53 = route53();
        StepExecutors executors = new StepExecutors(List.of(
                new Route53Executor(route53, clock, Duration.ofSeconds(5), Duration.ofMillis(1)),
                new CloudFrontExecutor(cloudFront(), clock),
                new AcmExecutor(acm(), route53, clock, Duration.ofSeconds(5), Duration.ofMillis(1))));

        for (PlanStep step : plan.steps()) {
            run(executors, step);
            if (step.inverse() instanceof Inverse.Undo undo) {
                run(executors, new PlanStep(step.id() + "-undo", undo.action(), step.precondition(),
                        new Inverse.Irreversible("the inverse"), step.risk(), step.permission()));
            }
        }
        JsonNode certificateEvidence = Json.mapper().createObjectNode().put("source", "acm:DescribeCertificate")
                .put("subject", CERTIFICATE);
        new AcmEvidenceFacts(acm()).read(certificateEvidence);

        assertThat(calls).extracting(Call::action).contains("route53:ListResourceRecordSets",
                "route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListHostedZonesByName",
                "cloudfront:GetDistribution", "cloudfront:UpdateDistribution", "cloudfront:CreateInvalidation",
                "acm:ListCertificates", "acm:RequestCertificate", "acm:DescribeCertificate");
        assertThat(calls).allSatisfy(call -> assertThat(allows(policy, call)).as("%s", call).isTrue());
    }

    @Test
    void theCheck_refusesCallsOutsideThePlan() {
        SessionPolicy.Scoped policy = (SessionPolicy.Scoped) SessionPolicy.forPlan(new Plan("one record", List.of(
                step("S1", new Action.UpsertRecord(new Action.RecordSet(ZONE, "www.example.com", "A", 60L,
                        List.of("192.0.2.1"), null)), new Inverse.Irreversible("t")))), "aws", ACCOUNT,
                Duration.ofMinutes(30));
        String zone = "arn:aws:route53:::hostedzone/" + ZONE;

        assertThat(allows(policy, new Call("route53:ChangeResourceRecordSets", zone, recordContext(
                List.of("www.example.com"), List.of("A"), List.of("DELETE", "CREATE"))))).isTrue();
        assertThat(allows(policy, new Call("route53:ChangeResourceRecordSets", zone, recordContext(
                List.of("mail.example.com"), List.of("A"), List.of("CREATE"))))).as("another name").isFalse();
        assertThat(allows(policy, new Call("route53:ChangeResourceRecordSets", zone, recordContext(
                List.of("www.example.com"), List.of("TXT"), List.of("CREATE"))))).as("another type").isFalse();
        assertThat(allows(policy, new Call("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHER",
                recordContext(List.of("www.example.com"), List.of("A"), List.of("CREATE"))))).as("another zone")
                .isFalse();
        assertThat(allows(policy, new Call("cloudfront:UpdateDistribution", "arn:aws:cloudfront::" + ACCOUNT
                + ":distribution/" + DIST, Map.of()))).as("another action").isFalse();
    }

    private void run(StepExecutors executors, PlanStep step) {
        StepExecutor executor = executors.forAction(step.action());
        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("alert-1", step, before);
        if (applied.reversible()) {
            executor.undo(applied, applied.version());
        }
    }

    // ---- the policy as this test reads it ------------------------------------------------------------

    private static boolean allows(SessionPolicy.Scoped policy, Call call) {
        return policy.statements().stream().anyMatch(s -> s.actions().contains(call.action())
                && s.resources().stream().anyMatch(r -> glob(r).matcher(call.resource()).matches())
                && conditionHolds(s.condition(), call.context()));
    }

    private static boolean conditionHolds(Map<String, ? extends Map<String, List<String>>> condition,
            Map<String, List<String>> context) {
        for (var op : condition.entrySet()) {
            for (var key : op.getValue().entrySet()) {
                List<String> have = context.get(key.getKey());
                List<String> allowed = key.getValue();
                boolean holds = switch (op.getKey()) {
                    case "Null" -> (have == null) == allowed.equals(List.of("true"));
                    case "StringEquals" -> have != null && have.size() == 1 && allowed.contains(have.getFirst());
                    case "ForAllValues:StringEquals" -> have == null || allowed.containsAll(have);
                    case "ForAllValues:StringLike" -> have == null || have.stream()
                            .allMatch(v -> allowed.stream().anyMatch(p -> glob(p).matcher(v).matches()));
                    default -> throw new AssertionError("an operator this check does not know: " + op.getKey());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Map<String, List<String>> recordContext(List<String> names, List<String> types, List<String> actions) {
        return Map.of("route53:ChangeResourceRecordSetsNormalizedRecordNames", names,
                "route53:ChangeResourceRecordSetsRecordTypes", types,
                "route53:ChangeResourceRecordSetsActions", actions);
    }

    // ---- recording stand-ins of the SDK clients -------------------------------------------------------

    /**
     * A client whose request-taking operations record the call and answer from {@code answers}; the SDK's
     * convenience overloads (builders, paginators) run as written and end up there.
     */
    private <T> T client(Class<T> type, String service, Map<String, Function<SdkRequest, Object>> answers) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (args != null && args.length == 1 && args[0] instanceof SdkRequest request
                    && answers.containsKey(method.getName())) {
                String action = service + ":" + Character.toUpperCase(method.getName().charAt(0))
                        + method.getName().substring(1);
                calls.add(call(action, request));
                return answers.get(method.getName()).apply(request);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "serviceName" -> service;
                case "close" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            };
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Call call(String action, SdkRequest request) {
        return switch (request) {
            case ListResourceRecordSetsRequest r -> new Call(action, zoneArn(r.hostedZoneId()), Map.of());
            case ChangeResourceRecordSetsRequest r -> new Call(action, zoneArn(r.hostedZoneId()), recordContext(
                    r.changeBatch().changes().stream().map(c -> normal(c.resourceRecordSet().name())).distinct().toList(),
                    r.changeBatch().changes().stream().map(c -> c.resourceRecordSet().typeAsString()).distinct().toList(),
                    r.changeBatch().changes().stream().map(c -> c.actionAsString()).distinct().toList()));
            case GetChangeRequest r -> new Call(action, "arn:aws:route53:::change/" + r.id().replace("/change/", ""),
                    Map.of());
            case ListHostedZonesByNameRequest r -> new Call(action, "*", Map.of());
            case GetDistributionRequest r -> new Call(action, distributionArn(r.id()), Map.of());
            case UpdateDistributionRequest r -> new Call(action, distributionArn(r.id()), Map.of());
            case CreateInvalidationRequest r -> new Call(action, distributionArn(r.distributionId()), Map.of());
            case RequestCertificateRequest r -> {
                List<String> names = new ArrayList<>(List.of(r.domainName()));
                names.addAll(r.subjectAlternativeNames());
                yield new Call(action, "*", Map.of("acm:DomainNames", names,
                        "acm:ValidationMethod", List.of(r.validationMethodAsString())));
            }
            case DescribeCertificateRequest r -> new Call(action, r.certificateArn(), Map.of());
            default -> new Call(action, "*", Map.of());
        };
    }

    /** As Route 53 puts a record name into its condition keys. */
    private static String normal(String name) {
        String n = name.replace("\\052", "*").toLowerCase(Locale.ROOT);
        return (n.endsWith(".") ? n.substring(0, n.length() - 1) : n).replace("*", "\\052");
    }

    private static String zoneArn(String id) {
        return "arn:aws:route53:::hostedzone/" + id.replace("/hostedzone/", "");
    }

    private static String distributionArn(String id) {
        return "arn:aws:cloudfront::" + ACCOUNT + ":distribution/" + id;
    }

    private static <B extends AwsResponse.Builder> B withRequestId(B builder) {
        builder.responseMetadata(DefaultAwsResponseMetadata.create(Map.of("AWS_REQUEST_ID", "request-1")));
        return builder;
    }

    private Route53Client route53() {
        Map<String, Function<SdkRequest, Object>> answers = new HashMap<>();
        answers.put("listResourceRecordSets", request -> {
            ListResourceRecordSetsRequest r = (ListResourceRecordSetsRequest) request;
            ResourceRecordSet existing = ResourceRecordSet.builder().name(r.startRecordName() + ".")
                    .type(r.startRecordType()).ttl(300L).resourceRecords(ResourceRecord.builder().value(
                            r.startRecordType() == RRType.A ? "192.0.2.99" : "old.example.net").build()).build();
            return withRequestId(ListResourceRecordSetsResponse.builder().resourceRecordSets(existing)
                    .isTruncated(false).maxItems("1")).build();
        });
        ChangeInfo pending = ChangeInfo.builder().id("/change/C0123").status(ChangeStatus.PENDING)
                .submittedAt(Instant.now()).build();
        answers.put("changeResourceRecordSets", request -> withRequestId(ChangeResourceRecordSetsResponse.builder()
                .changeInfo(pending)).build());
        answers.put("getChange", request -> withRequestId(GetChangeResponse.builder().changeInfo(pending.toBuilder()
                .status(ChangeStatus.INSYNC).build())).build());
        answers.put("listHostedZonesByName", request -> {
            String name = ((ListHostedZonesByNameRequest) request).dnsName();
            List<HostedZone> zones = name.equals("shop.example.com") ? List.of(HostedZone.builder()
                    .id("/hostedzone/" + PUBLIC_ZONE).name("shop.example.com.").callerReference("c").build()) : List.of();
            return withRequestId(ListHostedZonesByNameResponse.builder().hostedZones(zones).isTruncated(false)
                    .maxItems("100")).build();
        });
        return client(Route53Client.class, "route53", answers);
    }

    private CloudFrontClient cloudFront() {
        DistributionConfig config = DistributionConfig.builder().enabled(false).callerReference("c").comment("")
                .origins(o -> o.quantity(1).items(Origin.builder().id("origin-1").domainName("old.example.net").build()))
                .viewerCertificate(ViewerCertificate.builder().cloudFrontDefaultCertificate(true).build()).build();
        Distribution distribution = Distribution.builder().id(DIST).status("Deployed")
                .domainName("d111111abcdef8.cloudfront.net").distributionConfig(config).build();
        Map<String, Function<SdkRequest, Object>> answers = new HashMap<>();
        answers.put("getDistribution", request -> withRequestId(GetDistributionResponse.builder()
                .distribution(distribution).eTag("ETAG1")).build());
        answers.put("updateDistribution", request -> withRequestId(UpdateDistributionResponse.builder()
                .distribution(distribution.toBuilder().status("InProgress").build()).eTag("ETAG2")).build());
        answers.put("createInvalidation", request -> withRequestId(CreateInvalidationResponse.builder()
                .invalidation(i -> i.id("I1").status("InProgress"))).build());
        return client(CloudFrontClient.class, "cloudfront", answers);
    }

    private AcmClient acm() {
        Map<String, Function<SdkRequest, Object>> answers = new HashMap<>();
        answers.put("listCertificates", request -> withRequestId(ListCertificatesResponse.builder()
                .certificateSummaryList(List.of())).build());
        answers.put("requestCertificate", request -> withRequestId(RequestCertificateResponse.builder()
                .certificateArn(NEW_CERTIFICATE)).build());
        answers.put("describeCertificate", request -> withRequestId(DescribeCertificateResponse.builder()
                .certificate(c -> c.certificateArn(((DescribeCertificateRequest) request).certificateArn())
                        .status(CertificateStatus.PENDING_VALIDATION).domainValidationOptions(
                                validation("shop.example.com"), validation("www.shop.example.com")))).build());
        return client(AcmClient.class, "acm", answers);
    }

    private static DomainValidation validation(String name) {
        return DomainValidation.builder().domainName(name).validationStatus("PENDING_VALIDATION")
                .resourceRecord(r -> r.name("_3639ac514e785e898d2646601fa951d5." + name + ".").type(RecordType.CNAME)
                        .value("_98d0e76f4be8a3ea1d4cf1a3f4b3f1a1.mzlfeqexyx.acm-validations.aws.")).build();
    }

    private static PlanStep step(String id, Action action, Inverse inverse) {
        return new PlanStep(id, action, Precondition.of("E1", Map.of("k", "v")), inverse, Risk.LOW,
                new Permission("x:y", "z"));
    }
}
