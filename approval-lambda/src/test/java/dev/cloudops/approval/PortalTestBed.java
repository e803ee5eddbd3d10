package dev.cloudops.approval;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.plan.SessionPolicy;
import dev.cloudops.plan.SessionScope;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.S3Emulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The approval function wired for real against emulators: DynamoDB (dynalite), S3 (s3proxy), and
 * WireMock speaking SNS, Secrets Manager and a Teams webhook. Seeds analysed alerts with a report,
 * evidence and a real plan, and invokes the handler with the HTTP API event files under /events.
 */
final class PortalTestBed implements AutoCloseable {

    static final String KEY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/review-key-AbCdEf";
    static final String TEAMS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/teams-AbCdEf";
    static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:cloudops-execute";
    static final String KEY = "0123456789abcdef0123456789abcdef0123";
    static final String ZONE = "Z0123456789ABCDEFGHIJ";
    static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    static final String AUDIT_GROUP = "/aws/cloudops-agent/audit";
    /**
     * An executor role for {@code EXECUTOR_ROLE_ARN}, in the account of the seeded plans' resources, so that their
     * session policy can be made.
     */
    static final String EXECUTOR_ROLE = "arn:aws:iam::123456789012:role/cloudops-executor";
    static final String REPORT = """
            ## Executive Summary
            The alias record of **%s** was deleted, so visitors resolve nothing.

            ## Detailed Investigation
            | Check | Result |
            |---|---|
            | DNS | NXDOMAIN |

            ## Root Cause
            A change at 02:10 deleted the record.

            ## Critical Findings
            - The distribution is healthy.

            ## Immediate Actions
            Restore the record.

            ## Prevention
            Protect the zone.
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    final WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    final String table = "alerts-" + UUID.randomUUID();
    final String bucket = "artifacts-" + UUID.randomUUID().toString().substring(0, 18);
    final DynamoDbAlertRepository alerts;
    final ReviewToken tokens = new ReviewToken(KEY.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    final ApprovalHandler handler;
    final ReviewPortal portal;
    /** The audit trail the handler flushes after each request; flush it by hand when calling the portal directly. */
    final dev.cloudops.audit.AuditTrail audit;
    private final S3Emulator s3;

    PortalTestBed(Dynalite dynalite, S3Emulator s3, Map<String, String> extraEnv) {
        this.s3 = s3;
        aws.start();
        stubAws();
        dynalite.createTable(AlertsTable.createRequest(table));
        s3.clients().s3().createBucket(b -> b.bucket(bucket));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL", aws.baseUrl());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("ALERTS_TABLE", table);
        env.put("ARTIFACTS_BUCKET", bucket);
        env.put("EXECUTE_TOPIC_ARN", TOPIC);
        env.put("REVIEW_SIGNING_SECRET_ARN", KEY_ARN);
        env.put("NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", TEAMS_ARN);
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("AUDIT_LOG_GROUP", AUDIT_GROUP);
        env.putAll(extraEnv);
        ApprovalConfig config = ApprovalConfig.from(env);
        AwsClients clients = new AwsClients(config.aws(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Emulator.ACCESS_KEY, S3Emulator.SECRET_KEY)));
        ApprovalWiring.Wired wired = ApprovalWiring.wire(config, clients, Clock.systemUTC());
        portal = wired.portal();
        audit = wired.audit();
        handler = new ApprovalHandler(wired);
    }

    private void stubAws() {
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(KEY_ARN)))
                .willReturn(secret(KEY_ARN, KEY)));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(TEAMS_ARN)))
                .willReturn(secret(TEAMS_ARN, aws.baseUrl() + "/teams")));
        aws.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(
                        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>5f1c9a52-1a2b-4c3d-8e9f-0a1b2c3d4e5f</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b</RequestId>"
                                + "</ResponseMetadata></PublishResponse>")));
        aws.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Logs_20140328.CreateLogStream"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{}")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Logs_20140328.PutLogEvents"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder secret(String arn, String value) {
        return aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(JSON.createObjectNode()
                .put("ARN", arn).put("Name", "cloudops/x").put("SecretString", value)
                .put("VersionId", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111").toString());
    }

    /** A pending, analysed alert with its report and evidence stored, detected {@code age} ago. */
    Alert seed(Severity severity, String domain, Duration age) {
        return seed(severity, domain, age, "DNS: NXDOMAIN for " + domain);
    }

    /** The same, with what the probe saw ({@code errorDetails}: a site's answer, its headers) as given. */
    Alert seed(Severity severity, String domain, Duration age, String errorDetails) {
        return seed(severity, domain, age, errorDetails, plan(domain));
    }

    /** The same, proposing {@code plan}. */
    Alert seed(Severity severity, String domain, Duration age, String errorDetails, Plan plan) {
        String id = "01J" + UUID.randomUUID().toString().replace("-", "").substring(0, 23).toUpperCase();
        Instant at = Instant.now().minus(age);
        Alert probed = Alert.detect(id, at, URI.create("https://" + domain.replaceAll("[^a-z0-9.-]", "") + "/"),
                IssueType.DNS_FAILURE, severity, errorDetails, Actor.system("monitor"));
        // The domain exactly as given, even where no URL could carry it (tests of escaping need that).
        Alert detected = new Alert.Builder(id, at, domain, IssueType.DNS_FAILURE, severity, probed.targetUrl())
                .errorDetails(probed.errorDetails()).lastSeen(at).audit(probed.audit()).build();
        String reportKey = "analyses/" + id + ".md";
        String evidenceKey = "evidence/" + id + ".json";
        s3.clients().s3().putObject(b -> b.bucket(bucket).key(reportKey).contentType("text/markdown"),
                software.amazon.awssdk.core.sync.RequestBody.fromString(REPORT.formatted(domain)));
        s3.clients().s3().putObject(b -> b.bucket(bucket).key(evidenceKey).contentType("application/json"),
                software.amazon.awssdk.core.sync.RequestBody.fromString(JSON.createObjectNode().put("alert_id", id)
                        .set("items", JSON.createArrayNode().add(JSON.createObjectNode().put("id", "E1")
                                .put("source", "route53:ListResourceRecordSets").put("subject", ZONE)
                                .put("status", "OK").put("summary", "no A record named " + domain))).toString()));
        int required = severity == Severity.CRITICAL ? 2 : 1;
        Analysis analysis = new Analysis(Analyzer.RULES, null, "The alias record of " + domain + " was deleted.",
                reportKey, "s3://" + bucket + "/" + reportKey, evidenceKey, PlanJson.canonical(plan),
                PlanJson.hash(plan), required, List.of("Route 53"), "Nobody reaches the site", null);
        return alerts.create(detected.analyze(analysis, Actor.system("rules"), at.plusSeconds(5)).after());
    }

    static Plan plan(String domain) {
        Action.RecordSet alias = new Action.RecordSet(ZONE, domain, "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
        String distributionArn = "arn:aws:cloudfront::123456789012:distribution/" + DISTRIBUTION;
        return new Plan("Restore the alias record, then clear the cache.", List.of(
                new PlanStep("S1", new Action.UpsertRecord(alias), Precondition.of("E1", Map.of("record", "absent")),
                        new Inverse.Undo(new Action.DeleteRecord(alias)), Risk.MEDIUM,
                        new Permission("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + ZONE)),
                new PlanStep("S2", new Action.CreateInvalidation(DISTRIBUTION, List.of("/*")),
                        Precondition.of("E1", Map.of("record", "absent")),
                        new Inverse.Irreversible("an invalidation only empties caches"), Risk.LOW,
                        new Permission("cloudfront:CreateInvalidation", distributionArn))));
    }

    /** The session policy approving the plan {@link #seed} makes for {@code domain} grants with {@link #EXECUTOR_ROLE}. */
    static SessionPolicy.Scoped sessionPolicy(String domain) {
        return (SessionPolicy.Scoped) SessionScope.of(EXECUTOR_ROLE).policyFor(plan(domain));
    }

    void overwriteReport(Alert alert, String markdown) {
        s3.clients().s3().putObject(b -> b.bucket(bucket).key(alert.s3AnalysisKey()).contentType("text/markdown"),
                software.amazon.awssdk.core.sync.RequestBody.fromString(markdown));
    }

    /** Replaces the alert's stored evidence with {@code pack}, as the analysis writes a pack. */
    void overwriteEvidence(Alert alert, EvidencePack pack) {
        s3.clients().s3().putObject(b -> b.bucket(bucket).key(alert.evidenceKey()).contentType("application/json"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(pack.toJsonBytes()));
    }

    static String json(Map<String, String> fields) {
        var node = JSON.createObjectNode();
        fields.forEach(node::put);
        return node.toString();
    }

    String token(String alertId) {
        return tokens.issue(alertId, ReviewToken.REVIEW, Duration.ofHours(1));
    }

    /** The value of the review page form's hidden or text field {@code name}; empty when the page has no form. */
    static java.util.Optional<String> formField(String html, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"" + java.util.regex.Pattern.quote(name)
                + "\" value=\"([^\"]+)\"").matcher(html);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** The value of the field {@code name} of the form the page must have. */
    static String requiredFormField(String html, String name) {
        return formField(html, name).orElseThrow(() -> new AssertionError("the page's form has no " + name + " field"));
    }

    /** A URL-encoded form body of the given name/value pairs. */
    static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(b.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
                    .append('=').append(java.net.URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** The placeholders of the decision form event for {@code body} posted to alert {@code alertId}. */
    static Map<String, String> formEvent(String alertId, String body) {
        return Map.of("ALERT_ID", alertId,
                "FORM_BASE64", java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)),
                "CONTENT_LENGTH", String.valueOf(body.length()));
    }

    /** Posts the decision form {@code body} to alert {@code alertId}, as a browser on the portal's page does. */
    JsonNode postForm(String alertId, String body) {
        return call("post-decision-form.json", formEvent(alertId, body));
    }

    /** The review page of alert {@code alertId} opened with review token {@code token}. */
    JsonNode getReview(String alertId, String token) {
        return call("get-review.json", Map.of("ALERT_ID", alertId, "TOKEN", token));
    }

    /**
     * Invokes the handler with an event file, its placeholders replaced, and its request headers changed:
     * {@code headers} values replace (or add) headers, a null value removes one.
     */
    JsonNode callWithHeaders(String event, Map<String, String> vars, Map<String, String> headers) {
        String text = substituted(event, vars);
        try {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(text);
            var h = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("headers");
            headers.forEach((name, value) -> {
                if (value == null) {
                    h.remove(name);
                } else {
                    h.put(name, value);
                }
            });
            return invoke(JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Invokes the handler with an event file, its {@code ${NAME}} placeholders replaced (JSON-escaped). */
    JsonNode call(String event, Map<String, String> vars) {
        return invoke(substituted(event, vars).getBytes(StandardCharsets.UTF_8));
    }

    /** An event file's text with its {@code ${NAME}} placeholders replaced (JSON-escaped). */
    private static String substituted(String event, Map<String, String> vars) {
        String text = read("/events/" + event);
        Map<String, String> all = new HashMap<>(vars);
        all.putIfAbsent("CONTENT_LENGTH", "0");
        for (var e : all.entrySet()) {
            String escaped;
            try {
                escaped = JSON.writeValueAsString(e.getValue());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            text = text.replace("${" + e.getKey() + "}", escaped.substring(1, escaped.length() - 1));
        }
        return text;
    }

    JsonNode invoke(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code Message} of every Publish the SNS stand-in received. */
    List<JsonNode> executeMessages() {
        return aws.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getBodyAsString().contains("Action=Publish"))
                .map(r -> form(r.getBodyAsString()).get("Message")).map(PortalTestBed::parse).toList();
    }

    /** The audit log's lines about this alert, as the CloudWatch Logs stand-in received them. */
    List<JsonNode> auditLines(String alertId) {
        return aws.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> "Logs_20140328.PutLogEvents".equals(r.getHeader("X-Amz-Target")))
                .flatMap(r -> {
                    java.util.List<JsonNode> lines = new java.util.ArrayList<>();
                    parse(r.getBodyAsString()).path("logEvents").forEach(e -> lines.add(parse(e.path("message").asText())));
                    return lines.stream();
                })
                .filter(line -> line.path("alert_id").asText().equals(alertId))
                .sorted(java.util.Comparator.comparing(line -> Instant.parse(line.path("time").asText())))
                .toList();
    }

    /** The audit log's refused decision attempts on this alert, oldest first. */
    List<JsonNode> refusals(String alertId) {
        return auditLines(alertId).stream().filter(l -> l.path("action").asText().equals("DECISION_REFUSED")).toList();
    }

    /** Every Teams payload posted. */
    List<JsonNode> teamsPosts() {
        return aws.getAllServeEvents().stream().map(ServeEvent::getRequest).filter(r -> r.getUrl().equals("/teams"))
                .map(r -> parse(r.getBodyAsString())).toList();
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String resource) {
        try (InputStream in = PortalTestBed.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        aws.stop();
    }
}
