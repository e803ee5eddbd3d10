package dev.cloudops.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.control.dynamodb.ControlTable;
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
import dev.cloudops.probe.TestSite;
import dev.cloudops.runbook.AutoApproval;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.BedrockStandIn;
import dev.cloudops.testing.RecordingMetrics;
import dev.cloudops.testing.S3Emulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * The execution function wired for real: DynamoDB (dynalite) for alerts and the Control table, S3
 * (s3proxy) for logs and archives, {@link AwsStandIn} for Route 53, CloudFront and Teams, and a loopback
 * site as the target, which turns healthy when the stand-in accepts a change (unless told not to).
 */
final class ExecutionTestBed implements AutoCloseable {

    static final String ETAG = "E1ETAGANALYSED";
    /** The executor role of handlers given {@code EXECUTOR_ROLE_ARN}. */
    static final String EXECUTOR = "arn:aws:iam::123456789012:role/cloudops-executor";
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestSite site = TestSite.http();
    final AwsStandIn aws;
    final String table = "alerts-" + UUID.randomUUID();
    final String control = "control-" + UUID.randomUUID();
    final String bucket = "exec-" + UUID.randomUUID().toString().substring(0, 18);
    final DynamoDbAlertRepository alerts;
    final Dynalite dynalite;
    final RecordingMetrics metrics = new RecordingMetrics();
    /** The S3 the function is pointed at (s3proxy, or moto for Object Lock), and clients for it. */
    private final URI s3Endpoint;
    private final S3Client s3;
    volatile boolean fixWorks = true;

    ExecutionTestBed(Dynalite dynalite, S3Emulator s3) {
        this(dynalite, s3.endpoint(), s3.clients().s3());
    }

    /** The function's S3 is {@code s3Endpoint}, which accepts the emulator's key (s3proxy checks it, moto any). */
    ExecutionTestBed(Dynalite dynalite, URI s3Endpoint, S3Client s3) {
        this.dynalite = dynalite;
        this.s3Endpoint = s3Endpoint;
        this.s3 = s3;
        site.switchUp(false);
        aws = new AwsStandIn(() -> site.switchUp(fixWorks));
        dynalite.createTable(AlertsTable.createRequest(table));
        dynalite.createTable(ControlTable.createRequest(control));
        s3.createBucket(b -> b.bucket(bucket));
        alerts = new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7));
    }

    ExecutionHandler handler(Map<String, String> extra, Clock clock) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL", aws.baseUrl());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        env.put("ALERTS_TABLE", table);
        env.put("CONTROL_TABLE", control);
        env.put("ARTIFACTS_BUCKET", bucket);
        env.put("NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", AwsStandIn.TEAMS_ARN);
        env.put("REVIEW_BASE_URL", "https://review.example.com");
        env.put("REVIEW_SIGNING_SECRET_ARN", AwsStandIn.KEY_ARN);
        env.put("VERIFY_DEADLINE", "PT2S");
        env.put("VERIFY_INTERVAL", "PT0.2S");
        env.put("ROUTE53_SYNC_DEADLINE", "PT5S");
        env.putAll(extra);
        ExecutionConfig config = ExecutionConfig.from(env);
        AwsClients clients = new AwsClients(config.aws(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Emulator.ACCESS_KEY, S3Emulator.SECRET_KEY)));
        return new ExecutionHandler(ExecutionWiring.wire(config, clients, metrics, clock), clock);
    }

    ExecutionHandler handler() {
        return handler(Map.of(), Clock.systemUTC());
    }

    /**
     * An approved alert for the loopback target with this plan, approved {@code approvedAgo} ago, with the session
     * policy {@link #EXECUTOR}'s scope makes for it.
     */
    Alert approved(Plan plan, Duration approvedAgo) {
        return approved(plan, approvedAgo, policyHash(plan));
    }

    /** As {@link #approved(Plan, Duration)}, the approval naming the session policy {@code policyHash}. */
    Alert approved(Plan plan, Duration approvedAgo, String policyHash) {
        Alert pending = pending(plan, Severity.MEDIUM, null, Instant.now().minus(approvedAgo));
        return alerts.create(pending.approve(new Actor("erin@example.com", true, "203.0.113.7", "Mozilla/5.0"),
                "sub-erin", "engineer", "go", pending.planHash(), policyHash, pending.timestamp().plusSeconds(120))
                .after());
    }

    /**
     * A LOW alert whose plan the learned runbook {@code runbook} proposed, approved a moment ago by a person, or
     * ({@code byTheRunbook}) by the runbook itself as the monitor records it.
     */
    Alert approvedFromRunbook(Plan plan, Runbook runbook, boolean byTheRunbook) {
        Alert pending = pending(plan, Severity.LOW, runbook.id(), Instant.now().minusSeconds(60));
        Instant at = pending.timestamp().plusSeconds(120);
        Alert approved = byTheRunbook ? AutoApproval.approve(runbook, pending, policyHash(plan), at).after()
                : pending.approve(new Actor("erin@example.com", true, "203.0.113.7", "Mozilla/5.0"), "sub-erin",
                        "engineer", "go", pending.planHash(), policyHash(plan), at).after();
        return alerts.create(approved);
    }

    /**
     * A pending alert for the loopback target with this plan (proposed by {@code runbookId}, or by the rule engine
     * when null), its evidence and report stored, detected two minutes before {@code approvedAt}.
     */
    private Alert pending(Plan plan, Severity severity, String runbookId, Instant approvedAt) {
        String id = "01J" + UUID.randomUUID().toString().replace("-", "").substring(0, 23).toUpperCase();
        Instant at = approvedAt.minusSeconds(120);
        Alert detected = Alert.detect(id, at, site.url("127.0.0.1", "/switch"), IssueType.HTTP_ERROR, severity,
                "HTTP 503", Actor.system("monitor"));
        String evidenceKey = "evidence/" + id + ".json";
        s3.putObject(b -> b.bucket(bucket).key(evidenceKey), RequestBody.fromString(
                evidence(id)));
        String reportKey = "analyses/" + id + ".md";
        s3.putObject(b -> b.bucket(bucket).key(reportKey), RequestBody.fromString(
                "## Executive Summary\nDistribution " + AwsStandIn.DISTRIBUTION + " is disabled.\n\n## Root Cause\n"
                        + "Someone disabled it at 02:10.\n"));
        Analysis analysis = new Analysis(runbookId == null ? Analyzer.RULES : Analyzer.RUNBOOK,
                runbookId == null ? "session-" + id : null, "The distribution is disabled.", reportKey,
                "s3://" + bucket + "/" + reportKey, evidenceKey, PlanJson.canonical(plan), PlanJson.hash(plan), 1,
                List.of("CloudFront"), "Down for everyone", null, runbookId);
        return detected.analyze(analysis, Actor.system("rules"), at.plusSeconds(5)).after();
    }

    /**
     * The hash of the session policy {@link #EXECUTOR}'s scope makes for {@code plan}: what the review page showed
     * (an execution without an executor role ignores it).
     */
    static String policyHash(Plan plan) {
        return SessionScope.of(EXECUTOR).policyFor(plan) instanceof SessionPolicy.Scoped scoped ? scoped.sha256() : null;
    }

    /**
     * Runs {@code alert} in agent mode against {@code bedrock}, whose agent asks once for step S1 (enable the
     * distribution) and then reports it done; {@code extra} adds to the handler's environment.
     */
    JsonNode executeByAgentEnablingTheDistribution(BedrockStandIn bedrock, Alert alert,
            Map<String, String> extra) {
        String session = alert.agentSessionId();
        bedrock.onPrompt(session, BedrockStandIn.returnControl("inv-1", "write-tools",
                "cloudfront_set_enabled", Map.of("step_id", "S1", "distribution_id", AwsStandIn.DISTRIBUTION,
                        "enabled", "true")));
        bedrock.onResults(session, "inv-1", BedrockStandIn.chunk(
                "Step S1 is done; the distribution is enabled."));
        Map<String, String> env = new HashMap<>(Map.of("EXECUTION_MODE", "agent",
                "BEDROCK_AGENT_ID", BedrockStandIn.AGENT_ID,
                "BEDROCK_AGENT_ALIAS_ID", BedrockStandIn.ALIAS_ID,
                "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME", bedrock.server().baseUrl()));
        env.putAll(extra);
        return execute(handler(env, Clock.systemUTC()), alert);
    }

    /** Replaces the alert's stored evidence pack with {@code json}. */
    void evidence(Alert alert, String json) {
        s3.putObject(b -> b.bucket(bucket).key(alert.evidenceKey()), RequestBody.fromString(json));
    }

    /** The evidence pack as the collector writes it: the host's records (none) and the distribution, with its ETag. */
    static String evidence(String alertId) {
        return "{\"alert_id\":\"" + alertId + "\",\"host\":\"shop.example.com\",\"collected_at\":"
                + "\"2026-11-27T02:30:00Z\",\"items\":[{\"id\":\"E1\",\"source\":"
                + "\"route53:ListResourceRecordSets\",\"subject\":\"" + AwsStandIn.ZONE + "\",\"at\":"
                + "\"2026-11-27T02:30:00Z\",\"status\":\"NOT_FOUND\","
                + "\"summary\":\"no record named shop.example.com\",\"data\":{\"host\":\"shop.example.com\","
                + "\"records\":[]}},{\"id\":\"E2\",\"source\":\"cloudfront:GetDistribution\",\"subject\":\""
                + AwsStandIn.DISTRIBUTION + "\",\"at\":\"2026-11-27T02:30:00Z\",\"status\":\"OK\",\"summary\":"
                + "\"disabled\",\"data\":{\"id\":\"" + AwsStandIn.DISTRIBUTION + "\",\"enabled\":false,\"etag\":\""
                + ETAG + "\"}}]}";
    }

    static Plan enable() {
        return new Plan("Re-enable the distribution.", List.of(enableStep("S1")));
    }

    static Plan recordThenEnable() {
        Action.RecordSet alias = new Action.RecordSet(AwsStandIn.ZONE, "shop.example.com", "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
        return new Plan("Recreate the record, then re-enable the distribution.", List.of(
                new PlanStep("S1", new Action.UpsertRecord(alias), Precondition.of("E1", Map.of("record", "absent")),
                        new Inverse.Undo(new Action.DeleteRecord(alias)), Risk.MEDIUM,
                        new Permission("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/"
                                + AwsStandIn.ZONE)),
                enableStep("S2")));
    }

    private static PlanStep enableStep(String id) {
        return new PlanStep(id, new Action.SetEnabled(AwsStandIn.DISTRIBUTION, true),
                Precondition.of("E2", Map.of("enabled", "false", "etag", ETAG)),
                new Inverse.Undo(new Action.SetEnabled(AwsStandIn.DISTRIBUTION, false)), Risk.MEDIUM,
                new Permission("cloudfront:UpdateDistribution", "arn:aws:cloudfront::123456789012:distribution/"
                        + AwsStandIn.DISTRIBUTION));
    }

    /** Invokes the handler with an event file; {@code ${ALERT_ID}} and {@code ${MESSAGE}} filled for {@code alert}. */
    JsonNode invoke(ExecutionHandler handler, String event, Alert alert, String planHash) {
        return invoke(handler, event, alert, planHash, null);
    }

    /** As {@link #invoke(ExecutionHandler, String, Alert, String)}, with Lambda's context (its remaining time). */
    JsonNode invoke(ExecutionHandler handler, String event, Alert alert, String planHash,
            com.amazonaws.services.lambda.runtime.Context context) {
        String text = read("/events/" + event);
        if (alert != null) {
            String message = "{\"alert_id\":\"" + alert.alertId() + "\",\"plan_hash\":\"" + planHash + "\"}";
            text = text.replace("${MESSAGE}", message.replace("\"", "\\\"")).replace("${ALERT_ID}", alert.alertId());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out, context);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Invokes the handler with a workflow task event file; {@code ${ALERT_ID}}, {@code ${PLAN_HASH}} and the
     * given {@code fill} placeholders are filled in (values JSON-escaped).
     */
    JsonNode task(ExecutionHandler handler, String event, Alert alert, Map<String, String> fill) {
        String text = read("/events/" + event).replace("${ALERT_ID}", alert.alertId())
                .replace("${PLAN_HASH}", alert.planHash());
        for (Map.Entry<String, String> f : fill.entrySet()) {
            String escaped = JSON.valueToTree(f.getValue()).toString();
            text = text.replace("${" + f.getKey() + "}", escaped.substring(1, escaped.length() - 1));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out, null);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode task(ExecutionHandler handler, String event, Alert alert) {
        return task(handler, event, alert, Map.of());
    }

    JsonNode execute(ExecutionHandler handler, Alert alert) {
        return invoke(handler, "sns-execute.json", alert, alert.planHash()).get(0);
    }

    String object(String key) {
        return object(bucket, key);
    }

    String object(String inBucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(inBucket).key(key)).asUtf8String();
    }

    /**
     * A bucket for the archives of closed alerts (AUDIT_ARCHIVE_BUCKET); with {@code lockDays}, created as the
     * template's AuditArchiveBucket is: Object Lock on (so versioned), default retention GOVERNANCE for that many days.
     */
    String archiveBucket(Optional<Integer> lockDays) {
        String name = "archive-" + UUID.randomUUID().toString().substring(0, 18);
        s3.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(lockDays.isPresent()));
        lockDays.ifPresent(days -> s3.putObjectLockConfiguration(b -> b.bucket(name).objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(days))))));
        return name;
    }

    /** The S3 client of the bed's S3, for what a test reads or tries there. */
    S3Client s3() {
        return s3;
    }

    /** The S3 key an s3://bucket/key location names. */
    static String key(String location) {
        return URI.create(location).getPath().substring(1);
    }

    List<String> keys(String prefix) {
        return keys(bucket, prefix);
    }

    List<String> keys(String inBucket, String prefix) {
        return s3.listObjectsV2(b -> b.bucket(inBucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    static String read(String resource) {
        try (InputStream in = ExecutionTestBed.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        aws.close();
        site.close();
    }
}
