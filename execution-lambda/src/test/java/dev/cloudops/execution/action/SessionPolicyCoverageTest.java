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
import dev.cloudops.testing.IamPolicyFake;
import dev.cloudops.testing.IamPolicyFake.Decision;
import dev.cloudops.testing.IamSimulatorStub;
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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
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
 * from the plan, on the resource it was made on, with the condition keys its request carries. The policy is read
 * by {@link IamPolicyFake} (IAM's evaluation logic, for tests).
 *
 * <p>And the other way round (issue 25): a step whose resource is swapped after approval (another hosted zone,
 * record name or type, distribution, certificate name) makes writes that the approved plan's policy refuses,
 * and changes nothing when AWS refuses what the policy refuses; once also through IAM's wire format
 * ({@link IamSimulatorStub}, the SDK's {@code IamClient}). The exception, recorded as such: another certificate
 * for the approved distribution, which no IAM condition key can tell apart (see its test).
 */
class SessionPolicyCoverageTest {

    private static final String ACCOUNT = "123456789012";
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    /** The public zones the stand-in serves, by name: the plan's, and the one of a swapped certificate name. */
    private static final Map<String, String> PUBLIC_ZONES = Map.of("shop.example.com", "Z0PUBLIC0ZONE0OF0SHOP",
            "shop.example.org", "Z0PUBLIC0ZONE0OF0ORG");
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String CERTIFICATE = "arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/8f1c2a5e-1b2c-4d3e";
    private static final String NEW_CERTIFICATE = "arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/new-one";

    /** One AWS call as IAM sees it: the action, the resource ARN, and the condition keys of the request. */
    private record Call(String action, String resource, Map<String, List<String>> context) {
    }

    private final List<Call> calls = new ArrayList<>();
    /** When set, the stand-ins refuse a call this policy does not allow, as AWS does (AccessDenied, 403). */
    private SessionPolicy.Scoped enforced;
    /** The names of the last certificate requested of the ACM stand-in, whose validation records it describes. */
    private final List<String> requestedNames = new ArrayList<>(List.of("shop.example.com", "www.shop.example.com"));

    /** One step of each action; those with an undo have it approved too. */
    private static Plan everyAction() {
        Action.RecordSet wildcard = new Action.RecordSet(ZONE, "*.shop.example.com", "CNAME", 300L,
                List.of("shop.example.net"), null);
        Action.RecordSet alias = alias(ZONE, "shop.example.com", "A");
        return new Plan("every action", List.of(
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
    }

    private static Action.RecordSet alias(String zone, String name, String type) {
        return new Action.RecordSet(zone, name, type, null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
    }

    private static SessionPolicy.Scoped policyOf(Plan plan) {
        return (SessionPolicy.Scoped) SessionPolicy.forPlan(plan, "aws", ACCOUNT, Duration.ofMinutes(30));
    }

    /** The real executors over this test's recording stand-ins. */
    private StepExecutors executors() {
        Clock clock = Clock.systemUTC();
        Route53Client route53 = route53();
        return new StepExecutors(List.of(
                new Route53Executor(route53, clock, Duration.ofSeconds(5), Duration.ofMillis(1)),
                new CloudFrontExecutor(cloudFront(), clock),
                new AcmExecutor(acm(), route53, clock, Duration.ofSeconds(5), Duration.ofMillis(1))));
    }

    @Test
    void everyCallTheExecutorsMake_forEveryActionAndItsInverse_isAllowedByThePlansSessionPolicy() {
        Plan plan = everyAction();
        SessionPolicy.Scoped policy = policyOf(plan);
        StepExecutors executors = executors();

        for (PlanStep step : plan.steps()) {
            runWithInverse(executors, step);
        }
        JsonNode certificateEvidence = Json.mapper().createObjectNode().put("source", "acm:DescribeCertificate")
                .put("subject", CERTIFICATE);
        new AcmEvidenceFacts(acm()).read(certificateEvidence);

        assertThat(calls).extracting(Call::action).contains("route53:ListResourceRecordSets",
                "route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListHostedZonesByName",
                "cloudfront:GetDistribution", "cloudfront:UpdateDistribution", "cloudfront:CreateInvalidation",
                "acm:ListCertificates", "acm:RequestCertificate", "acm:DescribeCertificate");
        assertThat(calls).allSatisfy(call -> assertThat(decision(policy, call)).as("%s", call)
                .isEqualTo(Decision.ALLOWED));
    }

    @Test
    void theCheck_refusesCallsOutsideThePlan() {
        SessionPolicy.Scoped policy = (SessionPolicy.Scoped) SessionPolicy.forPlan(new Plan("one record", List.of(
                step("S1", new Action.UpsertRecord(new Action.RecordSet(ZONE, "www.example.com", "A", 60L,
                        List.of("192.0.2.1"), null)), new Inverse.Irreversible("t")))), "aws", ACCOUNT,
                Duration.ofMinutes(30));
        String zone = "arn:aws:route53:::hostedzone/" + ZONE;

        assertThat(allowed(policy, new Call("route53:ChangeResourceRecordSets", zone, recordContext(
                List.of("www.example.com"), List.of("A"), List.of("DELETE", "CREATE"))))).isTrue();
        assertThat(allowed(policy, new Call("route53:ChangeResourceRecordSets", zone, recordContext(
                List.of("mail.example.com"), List.of("A"), List.of("CREATE"))))).as("another name").isFalse();
        assertThat(allowed(policy, new Call("route53:ChangeResourceRecordSets", zone, recordContext(
                List.of("www.example.com"), List.of("TXT"), List.of("CREATE"))))).as("another type").isFalse();
        assertThat(allowed(policy, new Call("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHER",
                recordContext(List.of("www.example.com"), List.of("A"), List.of("CREATE"))))).as("another zone")
                .isFalse();
        assertThat(allowed(policy, new Call("cloudfront:UpdateDistribution", "arn:aws:cloudfront::" + ACCOUNT
                + ":distribution/" + DIST, Map.of()))).as("another action").isFalse();
    }

    // ---- a step swapped after approval ---------------------------------------------------------------------

    private static final String OTHER_ZONE = "Z0OTHER0ZONE0000000";
    private static final String OTHER_DIST = "E0OTHERDISTRIB";
    private static final String OTHER_CERTIFICATE = "arn:aws:acm:us-east-1:" + ACCOUNT + ":certificate/another-one";
    /** The calls that change something; every other call the executors make reads. */
    private static final List<String> WRITES = List.of("route53:ChangeResourceRecordSets",
            "cloudfront:UpdateDistribution", "cloudfront:CreateInvalidation", "acm:RequestCertificate");

    /** A step as approved, and the same step with one resource changed after approval. */
    private record Swap(String what, PlanStep approved, PlanStep swapped) {
    }

    /** For each action type, its step of {@link #everyAction()} with the resource it names swapped. */
    private static List<Swap> swaps(Plan approved) {
        Map<String, PlanStep> byId = new HashMap<>();
        approved.steps().forEach(s -> byId.put(s.id(), s));
        return List.of(
                swap("another hosted zone", byId.get("S1"), alias(OTHER_ZONE, "shop.example.com", "A")),
                swap("another record name", byId.get("S1"), alias(ZONE, "admin.shop.example.com", "A")),
                swap("another record type", byId.get("S1"), alias(ZONE, "shop.example.com", "AAAA")),
                swap("another record name to delete", byId.get("S2"), new Action.RecordSet(ZONE,
                        "*.admin.shop.example.com", "CNAME", 300L, List.of("shop.example.net"), null)),
                new Swap("another distribution to enable", byId.get("S3"), with(byId.get("S3"),
                        new Action.SetEnabled(OTHER_DIST, true), new Inverse.Undo(new Action.SetEnabled(OTHER_DIST,
                                false)))),
                new Swap("another distribution's origin", byId.get("S4"), with(byId.get("S4"),
                        new Action.SetOrigin(OTHER_DIST, "origin-1", "new.example.net"), new Inverse.Undo(
                                new Action.SetOrigin(OTHER_DIST, "origin-1", "old.example.net")))),
                new Swap("another distribution's certificate", byId.get("S5"), with(byId.get("S5"),
                        new Action.SetViewerCertificate(OTHER_DIST, CERTIFICATE, "TLSv1.2_2021"),
                        byId.get("S5").inverse())),
                new Swap("another distribution to invalidate", byId.get("S6"), with(byId.get("S6"),
                        new Action.CreateInvalidation(OTHER_DIST, List.of("/*")), byId.get("S6").inverse())),
                new Swap("another certificate domain", byId.get("S7"), with(byId.get("S7"),
                        new Action.RequestCertificate("shop.example.org", List.of("www.shop.example.org")),
                        byId.get("S7").inverse())));
    }

    /**
     * A certificate request that keeps the approved domain and swaps one other name: its request is refused, but
     * the validation record of the approved domain is (rightly) allowed, and so is that of the swapped name when
     * it lies under an approved one ({@code _*.shop.example.com} matches {@code _x.admin.shop.example.com}):
     * only the refused request keeps the step from going on.
     */
    private static Swap partialCertificateSwap(Plan approved) {
        PlanStep step = approved.steps().stream().filter(s -> s.id().equals("S7")).findFirst().orElseThrow();
        return new Swap("another certificate name beside the approved domain", step, with(step,
                new Action.RequestCertificate("shop.example.com", List.of("admin.shop.example.com")),
                step.inverse()));
    }

    /** A record step with its record (and its undo's) swapped for {@code record}. */
    private static Swap swap(String what, PlanStep approved, Action.RecordSet record) {
        Action action = approved.action() instanceof Action.UpsertRecord ? new Action.UpsertRecord(record)
                : new Action.DeleteRecord(record);
        Action undo = approved.action() instanceof Action.UpsertRecord ? new Action.DeleteRecord(record)
                : new Action.UpsertRecord(record);
        return new Swap(what, approved, with(approved, action, new Inverse.Undo(undo)));
    }

    private static PlanStep with(PlanStep step, Action action, Inverse inverse) {
        return new PlanStep(step.id(), action, step.precondition(), inverse, step.risk(), step.permission());
    }

    @Test
    void aStepWhoseResourceIsSwappedAfterApproval_hasEveryWriteRefused_whileTheApprovedStepIsAllowed() {
        Plan approved = everyAction();
        SessionPolicy.Scoped policy = policyOf(approved);
        StepExecutors executors = executors();

        for (Swap swap : swaps(approved)) {
            List<Call> approvedCalls = callsOf(() -> runWithInverse(executors, swap.approved()));
            List<Call> swappedWrites = callsOf(() -> runWithInverse(executors, swap.swapped())).stream()
                    .filter(c -> WRITES.contains(c.action())).toList();

            assertThat(approvedCalls).as("%s: the approved step", swap.what()).isNotEmpty()
                    .allSatisfy(c -> assertThat(decision(policy, c)).as("%s", c).isEqualTo(Decision.ALLOWED));
            assertThat(swappedWrites).as("%s: the swapped step's writes", swap.what()).isNotEmpty()
                    .allSatisfy(c -> assertThat(decision(policy, c)).as("%s", c).isEqualTo(Decision.IMPLICIT_DENY));
        }
    }

    /**
     * The swapped steps again, with the stand-ins refusing what the approved plan's policy does not allow, as AWS
     * would with the session's credentials: each swapped step fails on a refusal and no write of it gets through.
     */
    @Test
    void aSwappedStep_changesNothing_whenAwsRefusesWhatThePolicyRefuses() {
        Plan approved = everyAction();
        SessionPolicy.Scoped policy = policyOf(approved);
        StepExecutors executors = executors();
        List<Swap> swaps = new ArrayList<>(swaps(approved));
        swaps.add(partialCertificateSwap(approved));

        enforced = policy;
        for (Swap swap : swaps) {
            List<RuntimeException> failures = new ArrayList<>();
            List<Call> made = callsOf(() -> {
                try {
                    runWithInverse(executors, swap.swapped());
                } catch (StepFailedException | AwsServiceException refused) {
                    failures.add(refused);
                }
            });

            assertThat(failures).as("%s: the step fails", swap.what()).singleElement();
            assertThat(made).as("%s: a call was refused", swap.what())
                    .anySatisfy(c -> assertThat(decision(policy, c)).isEqualTo(Decision.IMPLICIT_DENY));
            assertThat(made).as("%s: no write got through", swap.what())
                    .filteredOn(c -> WRITES.contains(c.action()))
                    .allSatisfy(c -> assertThat(decision(policy, c)).as("%s", c).isEqualTo(Decision.IMPLICIT_DENY));
        }
        enforced = null;
        Swap partial = partialCertificateSwap(approved);
        List<Call> unrefused = callsOf(() -> runWithInverse(executors, partial.swapped()));
        assertThat(unrefused).as("without AWS's refusal, the validation records would be allowed")
                .filteredOn(c -> c.action().equals("route53:ChangeResourceRecordSets")).hasSize(2)
                .allSatisfy(c -> assertThat(decision(policy, c)).isEqualTo(Decision.ALLOWED));
        assertThat(unrefused).filteredOn(c -> c.action().equals("acm:RequestCertificate")).singleElement()
                .satisfies(c -> assertThat(decision(policy, c)).isEqualTo(Decision.IMPLICIT_DENY));
    }

    /**
     * The certificate of a viewer-certificate step swapped for another of the account's certificates: the
     * distribution is the approved one, and IAM offers no condition key for the certificate an
     * {@code UpdateDistribution} sets, so the session policy cannot refuse that write; what it does refuse is
     * the pre-check's read of the other certificate ({@code acm:DescribeCertificate} is granted on the approved
     * certificate only), and only in a plan that requests no certificate: a certificate request needs
     * {@code acm:DescribeCertificate} on {@code certificate/*} of the account (the new ARN is not known before),
     * which then reads the swapped one too. This records the limit; the approval's policy hash (ApprovalRules) is
     * what binds the certificate to the approval.
     */
    @Test
    void aSwappedViewerCertificate_isRefusedAtThePreChecksRead_notAtTheWrite() {
        Plan approved = new Plan("no certificate request", everyAction().steps().stream()
                .filter(s -> !(s.action() instanceof Action.RequestCertificate)).toList());
        SessionPolicy.Scoped policy = policyOf(approved);
        SessionPolicy.Scoped withRequest = policyOf(everyAction());
        PlanStep step = approved.steps().stream().filter(s -> s.id().equals("S5")).findFirst().orElseThrow();
        PlanStep swapped = with(step, new Action.SetViewerCertificate(DIST, OTHER_CERTIFICATE, "TLSv1.2_2021"),
                step.inverse());
        StepExecutors executors = executors();

        List<Call> writes = callsOf(() -> runWithInverse(executors, swapped)).stream()
                .filter(c -> WRITES.contains(c.action())).toList();
        List<Call> preCheck = callsOf(() -> new AcmEvidenceFacts(acm()).read(Json.mapper().createObjectNode()
                .put("source", "acm:DescribeCertificate").put("subject", OTHER_CERTIFICATE)));
        List<Call> approvedPreCheck = callsOf(() -> new AcmEvidenceFacts(acm()).read(Json.mapper().createObjectNode()
                .put("source", "acm:DescribeCertificate").put("subject", CERTIFICATE)));

        assertThat(writes).extracting(Call::action).containsOnly("cloudfront:UpdateDistribution");
        assertThat(writes).allSatisfy(c -> assertThat(decision(policy, c)).isEqualTo(Decision.ALLOWED));
        assertThat(preCheck).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo("acm:DescribeCertificate");
            assertThat(decision(policy, c)).isEqualTo(Decision.IMPLICIT_DENY);
        });
        assertThat(approvedPreCheck).singleElement()
                .satisfies(c -> assertThat(decision(policy, c)).isEqualTo(Decision.ALLOWED));
        assertThat(decision(withRequest, preCheck.getFirst())).as("beside a certificate request")
                .isEqualTo(Decision.ALLOWED);
    }

    /** The same refusal through IAM's wire format: the SDK's IamClient asks IamSimulatorStub. */
    @Test
    void aSwappedStep_isRefusedThroughIamsSimulateCustomPolicy() {
        Plan approved = everyAction();
        SessionPolicy.Scoped policy = policyOf(approved);
        StepExecutors executors = executors();
        List<Swap> swaps = swaps(approved).stream().filter(s -> s.what().equals("another record name")
                || s.what().equals("another distribution to enable")).toList();

        try (IamSimulatorStub stub = IamSimulatorStub.start();
                IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(stub.endpoint())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST",
                                "secret"))).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(swaps).hasSize(2);
            for (Swap swap : swaps) {
                Call approvedWrite = callsOf(() -> run(executors, swap.approved())).stream()
                        .filter(c -> WRITES.contains(c.action())).findFirst().orElseThrow();
                Call swappedWrite = callsOf(() -> run(executors, swap.swapped())).stream()
                        .filter(c -> WRITES.contains(c.action())).findFirst().orElseThrow();

                assertThat(simulate(iam, policy, approvedWrite)).as("%s: approved", swap.what())
                        .isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
                assertThat(simulate(iam, policy, swappedWrite)).as("%s: swapped", swap.what())
                        .isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
            }
        }
    }

    private static PolicyEvaluationDecisionType simulate(IamClient iam, SessionPolicy.Scoped policy, Call call) {
        List<ContextEntry> entries = call.context().entrySet().stream().map(e -> ContextEntry.builder()
                .contextKeyName(e.getKey()).contextKeyType(ContextKeyTypeEnum.STRING_LIST)
                .contextKeyValues(e.getValue()).build()).toList();
        return iam.simulateCustomPolicy(b -> b.policyInputList(policy.json()).actionNames(call.action())
                .resourceArns(call.resource()).contextEntries(entries)).evaluationResults().getFirst().evalDecision();
    }

    /** The step, then its approved undo (as the rollback runs it), if it has one. */
    private void runWithInverse(StepExecutors executors, PlanStep step) {
        run(executors, step);
        if (step.inverse() instanceof Inverse.Undo undo) {
            run(executors, new PlanStep(step.id() + "-undo", undo.action(), step.precondition(),
                    new Inverse.Irreversible("the inverse"), step.risk(), step.permission()));
        }
    }

    /** The calls {@code work} made. */
    private List<Call> callsOf(Runnable work) {
        calls.clear();
        work.run();
        List<Call> made = List.copyOf(calls);
        calls.clear();
        return made;
    }

    private void run(StepExecutors executors, PlanStep step) {
        StepExecutor executor = executors.forAction(step.action());
        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("alert-1", step, before);
        if (applied.reversible()) {
            executor.undo(applied, applied.version());
        }
    }

    // ---- the policy as IAM reads it --------------------------------------------------------------------

    private static Decision decision(SessionPolicy.Scoped policy, Call call) {
        return IamPolicyFake.evaluate(policy.json(), call.action(), call.resource(), call.context());
    }

    private static boolean allowed(SessionPolicy.Scoped policy, Call call) {
        return decision(policy, call) == Decision.ALLOWED;
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
                Call call = call(action, request);
                calls.add(call);
                if (enforced != null && decision(enforced, call) != Decision.ALLOWED) {
                    throw AwsServiceException.builder().statusCode(403).message("not authorized: " + call)
                            .awsErrorDetails(AwsErrorDetails.builder().serviceName(service).errorCode("AccessDenied")
                                    .errorMessage("not authorized to perform " + action + " on " + call.resource()
                                            + " because no session policy allows it").build()).build();
                }
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
            List<HostedZone> zones = PUBLIC_ZONES.containsKey(name) ? List.of(HostedZone.builder()
                    .id("/hostedzone/" + PUBLIC_ZONES.get(name)).name(name + ".").callerReference("c").build())
                    : List.of();
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
        answers.put("requestCertificate", request -> {
            RequestCertificateRequest r = (RequestCertificateRequest) request;
            requestedNames.clear();
            requestedNames.add(r.domainName());
            requestedNames.addAll(r.subjectAlternativeNames());
            return withRequestId(RequestCertificateResponse.builder().certificateArn(NEW_CERTIFICATE)).build();
        });
        answers.put("describeCertificate", request -> withRequestId(DescribeCertificateResponse.builder()
                .certificate(c -> c.certificateArn(((DescribeCertificateRequest) request).certificateArn())
                        .status(CertificateStatus.PENDING_VALIDATION).domainValidationOptions(
                                requestedNames.stream().map(SessionPolicyCoverageTest::validation).toList()))).build());
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
