package dev.cloudops.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.probe.FakeDnsServer;
import dev.cloudops.probe.TestSite;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.runbook.AutoApproval;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One emulated account for the three functions as deployed: DynamoDB (dynalite) with the Alerts and
 * Control tables, S3 (s3proxy) with the artifacts bucket, and WireMock answering as Secrets Manager, SNS,
 * Route 53, CloudFront, ACM, CloudTrail, CloudWatch Logs and a Teams webhook in each service's wire format, plus
 * a loopback website (down until a remediation lands) and a DNS responder that resolves {@link #HOST} to it. The
 * account's Route 53 and CloudFront are those of {@link #HOST}: its zone (without the host's record) and its
 * distribution (disabled), so an alert raised for {@link #hostUrl} is analysed from real evidence. Gives each
 * function the environment the template gives it, pointed here, and seeds alerts in the states the approval and
 * execution functions start from.
 */
public final class EmulatedAccount implements AutoCloseable {

    public static final String REGION = "eu-west-1";
    public static final String ZONE = "Z0123456789ABCDEFGHIJ";
    public static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    public static final String ETAG = "E1ETAGANALYSED";
    /** The site's name: its zone and its distribution are this account's, and the DNS responder resolves it. */
    public static final String HOST = "shop.example.com";
    public static final String AUDIT_LOG_GROUP = "/aws/cloudops-agent/audit";
    public static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:cloudops-execute";
    public static final String KEY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/review-key-AbCdEf";
    public static final String TEAMS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/teams-AbCdEf";
    private static final String KEY = "0123456789abcdef0123456789abcdef0123";
    private static final String CF = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    private static final String R53 = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private final WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final TestSite site = TestSite.http();
    private volatile boolean healing = true;
    private StubMapping refusal;
    private final FakeDnsServer dns = new FakeDnsServer();
    private final String suffix = UUID.randomUUID().toString().substring(0, 18);
    private final ReviewToken tokens = new ReviewToken(KEY.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    private final DynamoDbAlertRepository alerts;

    public EmulatedAccount(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
        site.switchUp(false);
        dns.address(HOST, InetAddress.getLoopbackAddress());
        aws.start();
        // A change accepted by Route 53 or CloudFront heals the site, so verification can pass.
        aws.addMockServiceRequestListener((request, response) -> {
            boolean change = (RequestMethod.PUT.equals(request.getMethod()) && request.getUrl().endsWith("/config"))
                    || (RequestMethod.POST.equals(request.getMethod()) && request.getUrl().endsWith("/rrset/"));
            if (change && response.getStatus() == 200 && healing) {
                site.switchUp(true);
            }
        });
        stubServices();
        dynalite.createTable(AlertsTable.createRequest(alertsTable()));
        dynalite.createTable(ControlTable.createRequest("control-" + suffix));
        s3.clients().s3().createBucket(b -> b.bucket(bucket()));
        alerts = new DynamoDbAlertRepository(dynalite.client(), alertsTable(), Duration.ofDays(7));
    }

    /** The monitor's environment: one target, the loopback site, alerting on its first failure. */
    public Map<String, String> monitorEnvironment() {
        Map<String, String> env = common();
        env.put("CONTROL_TABLE", "control-" + suffix);
        env.put("DNS_RESOLVERS", "127.0.0.1:" + dns.endpoint().getPort());
        env.put("TARGETS", "targets:\n  - url: " + site.url("127.0.0.1", "/switch") + "\n    failures_before_alert: 1\n");
        return env;
    }

    /** The approval function's environment, in link mode. */
    public Map<String, String> approvalEnvironment() {
        Map<String, String> env = common();
        env.put("EXECUTE_TOPIC_ARN", TOPIC);
        env.put("AUTH_MODE", "link");
        return env;
    }

    /** The execution function's environment, with short verification waits. */
    public Map<String, String> executionEnvironment() {
        Map<String, String> env = common();
        env.put("CONTROL_TABLE", "control-" + suffix);
        env.put("DNS_RESOLVERS", "127.0.0.1:" + dns.endpoint().getPort());
        env.put("VERIFY_DEADLINE", "PT5S");
        env.put("VERIFY_INTERVAL", "PT0.2S");
        env.put("ROUTE53_SYNC_DEADLINE", "PT5S");
        // The runtime stand-in gives an invocation 60 s: keep back what a 5 s step and its rollback need.
        env.put("EXECUTION_TIME_RESERVE", "PT15S");
        return env;
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", S3Emulator.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Emulator.SECRET_KEY);
        env.put("AWS_ENDPOINT_URL", aws.baseUrl());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("ALERTS_TABLE", alertsTable());
        env.put("ARTIFACTS_BUCKET", bucket());
        env.put("REVIEW_SIGNING_SECRET_ARN", KEY_ARN);
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", TEAMS_ARN);
        return env;
    }

    /** An analysed alert waiting for a decision, with its report and evidence stored. */
    public Alert pendingAlert() {
        return pendingAlert(Instant.now().minus(Duration.ofMinutes(10)));
    }

    /** An analysed alert waiting for a decision, detected at {@code at}. */
    public Alert pendingAlert(Instant at) {
        return alerts.create(detected(at).analyze(analysis(at, plan()), Actor.system("rules"), at.plusSeconds(5))
                .after());
    }

    /** Whether a change AWS accepts heals the website (it does unless told otherwise): a plan that does not help. */
    public void healOnChange(boolean heals) {
        healing = heals;
    }

    /** From now on CloudFront refuses every distribution update (a step that fails after an earlier one landed). */
    public void refuseDistributionUpdates() {
        refusal = aws.stubFor(put(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/config")).atPriority(0).willReturn(xml(
                400, "<ErrorResponse xmlns=\"" + CF + "\"><Error><Type>Sender</Type><Code>InvalidArgument</Code>"
                        + "<Message>The parameter Enabled is invalid.</Message></Error><RequestId>"
                        + "5b0a7a6c-0000-4000-8000-000000000400</RequestId></ErrorResponse>")));
    }

    /** CloudFront accepts distribution updates again (undoes {@link #refuseDistributionUpdates()}). */
    public void acceptDistributionUpdates() {
        if (refusal != null) {
            aws.removeStub(refusal);
            refusal = null;
        }
    }

    /** The website's address, as the plans and alerts of this account name it. */
    public URI siteUrl(String path) {
        return site.url("127.0.0.1", path);
    }

    /** The website's address by its name, {@link #HOST}, which this account's zone and distribution serve. */
    public URI hostUrl(String path) {
        return site.url(HOST, path);
    }

    /**
     * The distribution was disabled again since it was last read: CloudFront now reports it disabled with
     * {@code etag}, and accepts an update made with that ETag (as well as one with {@link #ETAG}).
     */
    public void distributionDisabledAgain(String etag) {
        aws.stubFor(get(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION)).atPriority(0).willReturn(xml(200,
                distribution(false)).withHeader("ETag", etag)));
        aws.stubFor(put(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/config")).atPriority(1)
                .withHeader("If-Match", equalTo(etag)).willReturn(xml(200, distribution(true))
                        .withHeader("ETag", "E2AFTERUPDATE")));
    }

    /**
     * A LOW alert whose plan (recreate the record, re-enable the distribution) an active learned runbook proposed and
     * approved by itself a moment ago, as the monitor records it; the runbook, set to approve from one verified
     * success, is in the Control table for the execution to read again.
     */
    public Alert approvedByItsRunbook() {
        Instant at = Instant.now().minus(Duration.ofMinutes(1));
        RunbookStore runbooks = new DynamoDbRunbookStore(dynalite.client(), "control-" + suffix);
        RunbookTemplate template = new RunbookTemplate(IssueType.HTTP_ERROR, PlanJson.canonical(plan()), List.of(),
                List.of());
        Runbook learned = runbooks.learned(Runbook.candidate(template, "01JTEACHER" + suffix, at), at);
        Runbook runbook = runbooks.replace(learned.promoted("pat@example.com", at).autoApproving(1, "lee@example.com"))
                .orElseThrow();
        Analysis byRules = analysis(at, plan());
        Analysis byRunbook = new Analysis(Analyzer.RUNBOOK, null, "Proposed by runbook " + runbook.id() + ".",
                byRules.reportKey(), byRules.reportUrl(), byRules.evidenceKey(), byRules.planJson(), byRules.planHash(),
                1, byRules.affectedServices(), byRules.estimatedImpact(), "proposed by runbook " + runbook.id(),
                runbook.id());
        Alert pending = Alert.detect(detected(at).alertId(), at, site.url("127.0.0.1", "/switch"),
                IssueType.HTTP_ERROR, Severity.LOW, "HTTP 503", Actor.system("monitor"))
                .analyze(byRunbook, Actor.system("analysis:runbook"), at.plusSeconds(5)).after();
        return alerts.create(AutoApproval.approve(runbook, pending, null, at.plusSeconds(6)).after());
    }

    /** An alert approved two minutes ago whose plan recreates a Route 53 record, then re-enables a distribution. */
    public Alert approvedAlert() {
        Instant approvedAt = Instant.now().minus(Duration.ofMinutes(2));
        Instant at = approvedAt.minusSeconds(120);
        Alert pending = detected(at).analyze(analysis(at, plan()), Actor.system("rules"), at.plusSeconds(5))
                .after();
        return alerts.create(pending.approve(new Actor("erin@example.com", true, "203.0.113.7", "Mozilla/5.0"),
                "sub-erin", "engineer", "go", pending.planHash(), approvedAt).after());
    }

    private Alert detected(Instant at) {
        String id = "01J" + UUID.randomUUID().toString().replace("-", "").substring(0, 23).toUpperCase();
        return Alert.detect(id, at, site.url("127.0.0.1", "/switch"), IssueType.HTTP_ERROR, Severity.MEDIUM,
                "HTTP 503", Actor.system("monitor"));
    }

    private Analysis analysis(Instant at, Plan plan) {
        String evidenceKey = "evidence/" + at.toEpochMilli() + "-" + UUID.randomUUID() + ".json";
        s3.clients().s3().putObject(b -> b.bucket(bucket()).key(evidenceKey), RequestBody.fromString(
                // As the collector writes it: the host's records as read (none) and the distribution with its ETag.
                "{\"items\":[{\"id\":\"E1\",\"source\":\"route53:ListResourceRecordSets\",\"subject\":\"" + ZONE
                        + "\",\"status\":\"NOT_FOUND\",\"summary\":\"no A record named shop.example.com\","
                        + "\"data\":{\"host\":\"shop.example.com\",\"records\":[]}},"
                        + "{\"id\":\"E2\",\"source\":\"cloudfront:GetDistribution\",\"subject\":\"" + DISTRIBUTION
                        + "\",\"status\":\"OK\",\"summary\":\"disabled\",\"data\":{\"id\":\"" + DISTRIBUTION
                        + "\",\"enabled\":false,\"etag\":\"" + ETAG + "\"}}]}"));
        String reportKey = "analyses/" + at.toEpochMilli() + "-" + UUID.randomUUID() + ".md";
        s3.clients().s3().putObject(b -> b.bucket(bucket()).key(reportKey).contentType("text/markdown"),
                RequestBody.fromString("## Executive Summary\nThe record of **shop.example.com** was deleted and "
                        + "distribution " + DISTRIBUTION + " disabled.\n\n## Root Cause\n| Check | Result |\n|---|---|\n"
                        + "| DNS | NXDOMAIN |\n"));
        return new Analysis(Analyzer.RULES, null, "The record was deleted and the distribution disabled.", reportKey,
                "s3://" + bucket() + "/" + reportKey, evidenceKey, PlanJson.canonical(plan), PlanJson.hash(plan), 1,
                List.of("Route 53", "CloudFront"), "Down for everyone", null);
    }

    private static Plan plan() {
        Action.RecordSet alias = new Action.RecordSet(ZONE, "shop.example.com", "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
        return new Plan("Recreate the record, then re-enable the distribution.", List.of(
                new PlanStep("S1", new Action.UpsertRecord(alias), Precondition.of("E1", Map.of("record", "absent")),
                        new Inverse.Undo(new Action.DeleteRecord(alias)), Risk.MEDIUM,
                        new Permission("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + ZONE)),
                new PlanStep("S2", new Action.SetEnabled(DISTRIBUTION, true),
                        Precondition.of("E2", Map.of("enabled", "false", "etag", ETAG)),
                        new Inverse.Undo(new Action.SetEnabled(DISTRIBUTION, false)), Risk.MEDIUM,
                        new Permission("cloudfront:UpdateDistribution", "arn:aws:cloudfront::123456789012:distribution/"
                                + DISTRIBUTION))));
    }

    /**
     * Puts the website up (a probe finds it healthy) or down (503 until a remediation lands), and the
     * stand-ins' one-off answers (the first Route 53 change throttled) back to their start, so an
     * invocation can be repeated with the same work (bench/ColdStartBenchmark's warm invocations).
     */
    public void reset(boolean siteUp) {
        site.switchUp(siteUp);
        aws.resetScenarios();
    }

    /** A review link token for an alert, as the monitor puts in its notifications. */
    public String reviewToken(String alertId) {
        return tokens.issue(alertId, ReviewToken.REVIEW, Duration.ofHours(1));
    }

    public DynamoDbAlertRepository alerts() {
        return alerts;
    }

    /** The alert workflow's handles (execution ARN, approval task token) on the alerts of this account. */
    public dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles workflowHandles() {
        return new dev.cloudops.alert.dynamodb.DynamoDbWorkflowHandles(dynalite.client(), alertsTable());
    }

    public String bucket() {
        return "artifacts-" + suffix;
    }

    public String object(String key) {
        return s3.clients().s3().getObjectAsBytes(b -> b.bucket(bucket()).key(key)).asUtf8String();
    }

    /** The {@code Message} of every SNS Publish received. */
    public List<String> publishedMessages() {
        return requests().stream().filter(r -> r.getBodyAsString().contains("Action=Publish"))
                .map(r -> form(r.getBodyAsString()).get("Message")).toList();
    }

    /** The audit events written to CloudWatch Logs (for a function given {@link #AUDIT_LOG_GROUP}), oldest first. */
    public List<String> auditEvents() {
        return requests().stream().filter(r -> "Logs_20140328.PutLogEvents".equals(r.getHeader("X-Amz-Target")))
                .flatMap(r -> {
                    List<String> messages = new ArrayList<>();
                    try {
                        JSON.readTree(r.getBodyAsString()).path("logEvents")
                                .forEach(e -> messages.add(e.path("message").asText()));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a PutLogEvents body that is not JSON", e);
                    }
                    return messages.stream();
                }).toList();
    }

    /** Every payload posted to the Teams webhook. */
    public List<String> teamsPosts() {
        return requests().stream().filter(r -> r.getUrl().equals("/teams")).map(LoggedRequest::getBodyAsString).toList();
    }

    /** Requests with this method whose URL ends with {@code urlSuffix}, oldest first. */
    public List<LoggedRequest> requests(RequestMethod method, String urlSuffix) {
        return requests().stream().filter(r -> method.equals(r.getMethod()) && r.getUrl().endsWith(urlSuffix)).toList();
    }

    private List<LoggedRequest> requests() {
        return aws.getAllServeEvents().stream().map(ServeEvent::getRequest).toList().reversed();
    }

    private String alertsTable() {
        return "alerts-" + suffix;
    }

    private void stubServices() {
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(KEY_ARN))).willReturn(secret(KEY_ARN, KEY)));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(TEAMS_ARN)))
                .willReturn(secret(TEAMS_ARN, aws.baseUrl() + "/teams")));
        aws.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        aws.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish")).willReturn(xml(200,
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
                        + "5f1c9a52-1a2b-4c3d-8e9f-0a1b2c3d4e5f</MessageId></PublishResult><ResponseMetadata><RequestId>"
                        + "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b</RequestId></ResponseMetadata></PublishResponse>")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Logs_20140328.CreateLogStream"))
                .willReturn(json("{}")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Logs_20140328.PutLogEvents"))
                .willReturn(json("{}")));
        // ACM holds no certificate for the host (the distribution uses CloudFront's), CloudTrail no recent writes.
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("CertificateManager.ListCertificates"))
                .willReturn(json("{\"CertificateSummaryList\":[]}")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"))
                .willReturn(json("{\"Events\":[]}")));
        // Route 53: the public zone example.com holds the host's name; no other zone is in the account.
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).atPriority(5).willReturn(xml(200,
                "<ListHostedZonesByNameResponse xmlns=\"" + R53 + "\"><HostedZones/><IsTruncated>false</IsTruncated>"
                        + "<MaxItems>100</MaxItems></ListHostedZonesByNameResponse>")));
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzonesbyname")).atPriority(1)
                .withQueryParam("dnsname", equalTo("example.com")).willReturn(xml(200,
                        "<ListHostedZonesByNameResponse xmlns=\"" + R53 + "\"><HostedZones><HostedZone><Id>/hostedzone/"
                                + ZONE + "</Id><Name>example.com.</Name><CallerReference>shop-2024</CallerReference>"
                                + "<Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>3"
                                + "</ResourceRecordSetCount></HostedZone></HostedZones><DNSName>example.com</DNSName>"
                                + "<IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>"
                                + "</ListHostedZonesByNameResponse>")));
        // Route 53: the zone holds another record; the first change is throttled, so the SDK's retry runs.
        aws.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset")).willReturn(xml(200,
                "<ListResourceRecordSetsResponse xmlns=\"" + R53 + "\"><ResourceRecordSets><ResourceRecordSet><Name>"
                        + "other.example.com.</Name><Type>A</Type><AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId>"
                        + "<DNSName>d222.cloudfront.net.</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth>"
                        + "</AliasTarget></ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated>"
                        + "<MaxItems>1</MaxItems></ListResourceRecordSetsResponse>")));
        aws.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset/")).willReturn(xml(200,
                "<ChangeResourceRecordSetsResponse xmlns=\"" + R53 + "\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id>"
                        + "<Status>PENDING</Status><SubmittedAt>2026-11-27T05:20:00.000Z</SubmittedAt></ChangeInfo>"
                        + "</ChangeResourceRecordSetsResponse>")));
        aws.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset/")).atPriority(1).inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled").willReturn(xml(400,
                        "<ErrorResponse xmlns=\"" + R53 + "\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>"
                                + "Rate exceeded</Message></Error><RequestId>d3f1e2a4-0000-4000-8000-000000000429"
                                + "</RequestId></ErrorResponse>")));
        aws.stubFor(get(urlEqualTo("/2013-04-01/change/C2682N5HXP0BZ4")).willReturn(xml(200,
                "<GetChangeResponse xmlns=\"" + R53 + "\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id><Status>INSYNC"
                        + "</Status><SubmittedAt>2026-11-27T05:20:00.000Z</SubmittedAt></ChangeInfo></GetChangeResponse>")));
        // CloudFront: the distribution of the host is disabled; an update succeeds only with the ETag it was read with.
        aws.stubFor(get(urlPathEqualTo("/2020-05-31/distribution")).willReturn(xml(200,
                "<DistributionList xmlns=\"" + CF + "\"><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false"
                        + "</IsTruncated><Quantity>1</Quantity><Items><DistributionSummary><Id>" + DISTRIBUTION
                        + "</Id><ARN>arn:aws:cloudfront::123456789012:distribution/" + DISTRIBUTION + "</ARN><Status>"
                        + "Deployed</Status><LastModifiedTime>2026-11-27T02:10:00.000Z</LastModifiedTime><DomainName>"
                        + "d111111abcdef8.cloudfront.net</DomainName><Aliases><Quantity>1</Quantity><Items><CNAME>"
                        + HOST + "</CNAME></Items></Aliases><Comment>shop</Comment><Enabled>false</Enabled>"
                        + "</DistributionSummary></Items></DistributionList>")));
        aws.stubFor(get(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION)).willReturn(xml(200,
                distribution(false)).withHeader("ETag", ETAG)));
        aws.stubFor(put(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/config")).atPriority(5).willReturn(xml(
                412, "<ErrorResponse xmlns=\"" + CF + "\"><Error><Type>Sender</Type><Code>PreconditionFailed</Code>"
                        + "<Message>The If-Match version is missing or not valid.</Message></Error><RequestId>"
                        + "5b0a7a6c-0000-4000-8000-000000000412</RequestId></ErrorResponse>")));
        aws.stubFor(put(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/config")).atPriority(1)
                .withHeader("If-Match", equalTo(ETAG)).willReturn(xml(200, distribution(true))
                        .withHeader("ETag", "E2AFTERUPDATE")));
    }

    private static String distribution(boolean enabled) {
        return "<Distribution xmlns=\"" + CF + "\"><Id>" + DISTRIBUTION + "</Id><ARN>arn:aws:cloudfront::123456789012:"
                + "distribution/" + DISTRIBUTION + "</ARN><Status>Deployed</Status><LastModifiedTime>"
                + "2026-11-27T02:10:00.000Z</LastModifiedTime><InProgressInvalidationBatches>0"
                + "</InProgressInvalidationBatches><DomainName>d111111abcdef8.cloudfront.net</DomainName>"
                + "<DistributionConfig><CallerReference>shop-2024</CallerReference><Aliases><Quantity>1</Quantity>"
                + "<Items><CNAME>shop.example.com</CNAME></Items></Aliases><Origins><Quantity>1</Quantity><Items><Origin>"
                + "<Id>shop-origin</Id><DomainName>shop-site.s3.eu-west-1.amazonaws.com</DomainName><S3OriginConfig>"
                + "<OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins>"
                + "<DefaultCacheBehavior><TargetOriginId>shop-origin</TargetOriginId><ViewerProtocolPolicy>"
                + "redirect-to-https</ViewerProtocolPolicy><CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6"
                + "</CachePolicyId></DefaultCacheBehavior><Comment>shop</Comment><Enabled>" + enabled + "</Enabled>"
                + "<ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>"
                + "<MinimumProtocolVersion>TLSv1</MinimumProtocolVersion></ViewerCertificate>"
                + "</DistributionConfig></Distribution>";
    }

    private static ResponseDefinitionBuilder secret(String arn, String value) {
        return aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{\"ARN\":\"" + arn
                + "\",\"Name\":\"cloudops/x\",\"SecretString\":\"" + value + "\",\"VersionId\":\"v1\"}");
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        aws.stop();
        site.close();
        dns.close();
    }
}
