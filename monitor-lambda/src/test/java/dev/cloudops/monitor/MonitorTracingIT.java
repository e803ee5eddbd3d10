package dev.cloudops.monitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.cloudops.testing.XRayDaemonStandIn.only;
import static dev.cloudops.testing.XRayDaemonStandIn.sdkCallsUnder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.control.dynamodb.ControlTable;
import dev.cloudops.testing.S3Emulator;
import dev.cloudops.testing.ShippedFunction;
import dev.cloudops.testing.XRayDaemonStandIn;
import dev.cloudops.testing.XRayDaemonStandIn.Recorded;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar ({@code target/monitor-lambda.jar}, shaded, with the SDK v1 leftovers excluded) run as
 * Lambda runs it, in a process of its own, with tracing on: a scheduled run against a failing site raises
 * an alert (its probe state and claim kept in the Control table), analyses it with the rule engine, stores it
 * and sends it to Teams, and each step reaches a stand-in X-Ray daemon as a subsegment of the invocation's
 * trace, with the SDK calls made inside it.
 */
class MonitorTracingIT extends LoopbackAccount {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "1-67a1b2c3-0123456789abcdef01234567";
    private static final String FUNCTION_SEGMENT = "a1b2c3d4e5f60718";
    private static final String TEAMS_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/teams-AbCdEf";
    private static final String KEY_ARN =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:cloudops/review-key-AbCdEf";

    /** Beside the account's services knowing nothing of the site, Secrets Manager and Teams answer. */
    @BeforeAll
    static void stubSecretsAndTeams() {
        secret(TEAMS_ARN, otherServices.baseUrl() + "/teams");
        secret(KEY_ARN, "0123456789abcdef0123456789abcdef0123");
        otherServices.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void aScheduledRun_isTracedStepByStep_underTheFunctionSegment(@TempDir Path work) throws Exception {
        site.switchUp(false);
        try (XRayDaemonStandIn daemon = new XRayDaemonStandIn()) {

            Invocation run = invoke(environment(daemon), "scheduled-event.json", work);

            assertThat(run.exitCode()).as("the function's output:\n%s", run.output()).isZero();
            String alertId = run.response().get(0).at("/targets/0/alert_ids/0").asText();
            assertThat(run.response().get(0).at("/targets/0/action").asText()).isEqualTo("RAISED");
            otherServices.verify(postRequestedFor(urlEqualTo("/teams")));
            List<Recorded> trace = daemon.received(Duration.ofSeconds(1));
            assertThat(trace).isNotEmpty().allSatisfy(r -> assertThat(r.traceId()).isEqualTo(ROOT));

            Recorded probe = only(trace, "probe");
            assertThat(probe.parentId()).isEqualTo(FUNCTION_SEGMENT);
            assertThat(probe.document().at("/annotations/targets").asInt()).isEqualTo(1);
            Recorded target = only(trace, "probe 127.0.0.1");
            assertThat(target.parentId()).isEqualTo(probe.id());
            assertThat(target.annotation("classification")).isEqualTo("HTTP_ERROR");

            Recorded saved = only(trace, "store probe-states.save");
            assertThat(saved.parentId()).isEqualTo(FUNCTION_SEGMENT);
            assertThat(saved.annotation("domain")).isEqualTo("127.0.0.1");
            assertThat(sdkCallsUnder(trace, saved)).containsExactly("DynamoDb PutItem");
            Recorded claimed = only(trace, "store claims.claim");
            assertThat(claimed.parentId()).isEqualTo(FUNCTION_SEGMENT);
            assertThat(claimed.annotation("alert_id")).isEqualTo(alertId);
            assertThat(sdkCallsUnder(trace, claimed)).containsExactly("DynamoDb PutItem");

            Recorded created = only(trace, "store alerts.create");
            assertThat(created.parentId()).isEqualTo(FUNCTION_SEGMENT);
            assertThat(created.annotation("alert_id")).isEqualTo(alertId);
            assertThat(sdkCallsUnder(trace, created)).containsExactly("DynamoDb PutItem");

            Recorded agent = only(trace, "agent rules");
            assertThat(agent.parentId()).isEqualTo(FUNCTION_SEGMENT);
            assertThat(agent.annotation("alert_id")).isEqualTo(alertId);
            assertThat(agent.annotation("domain")).isEqualTo("127.0.0.1");
            assertThat(agent.document().path("fault").asBoolean()).isFalse();

            assertThat(trace).filteredOn(r -> r.name().equals("store artifacts.put"))
                    .as("the evidence pack and the report").hasSize(2)
                    .allSatisfy(put -> assertThat(sdkCallsUnder(trace, put)).containsExactly("S3 PutObject"));
            assertThat(trace).filteredOn(r -> r.name().equals("store alerts.apply"))
                    .anySatisfy(apply -> assertThat(apply.annotation("state")).isEqualTo("PENDING_APPROVAL"));

            Recorded teams = only(trace, "notify teams");
            assertThat(teams.parentId()).isEqualTo(FUNCTION_SEGMENT);
            assertThat(teams.annotation("alert_id")).isEqualTo(alertId);
            assertThat(teams.document().at("/annotations/delivered").asBoolean()).isTrue();

            Recorded failedRead = only(trace, "Route53");
            assertThat(failedRead.document().at("/aws/operation").asText()).isEqualTo("ListHostedZonesByName");
            assertThat(failedRead.document().at("/http/response/status").asInt()).isEqualTo(404);
            assertThat(failedRead.document().at("/cause/exceptions/0/type").asText()).endsWith("Route53Exception");
            assertThat(trace).as("calls made while the function initialised are not part of the invocation")
                    .noneMatch(r -> r.name().equals("SecretsManager"));
            assertThat(run.output().lines().filter(line -> line.contains("\"logger\":\"com.amazonaws.xray"))
                    .filter(line -> !line.contains("\"level\":\"INFO\"")))
                    .as("the X-Ray SDK neither warns nor complains of a missing context").isEmpty();
        }
    }

    @Test
    void theShippedJar_holdsOfTheSdkV1OnlyWhatTheRecorderLoads() throws IOException {
        try (ZipFile jar = new ZipFile(Path.of("target", "monitor-lambda.jar").toFile())) {

            List<String> v1 = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("com/amazonaws/") && !name.startsWith("com/amazonaws/xray/")
                            && !name.startsWith("com/amazonaws/services/lambda/runtime/") && !name.endsWith("/"))
                    .sorted().toList();
            List<String> leftOut = jar.stream().map(ZipEntry::getName)
                    // Joda-Time ships now as aws-lambda-java-events' timestamp type, shrunk, without its
                    // time-zone data (every DateTime is UTC)
                    .filter(name -> name.startsWith("org/apache/http/") || name.startsWith("org/joda/time/tz/data/")
                            || name.startsWith("com/fasterxml/jackson/dataformat/cbor/")
                            || name.startsWith("org/apache/commons/codec/")
                            || name.startsWith("org/apache/commons/logging/impl/LogFactoryImpl"))
                    .toList();

            assertThat(v1).containsExactly("com/amazonaws/AmazonClientException.class",
                    "com/amazonaws/AmazonServiceException$ErrorType.class", "com/amazonaws/AmazonServiceException.class",
                    "com/amazonaws/SdkBaseException.class", "com/amazonaws/SdkClientException.class",
                    "com/amazonaws/util/StringUtils.class");
            assertThat(leftOut).isEmpty();
        }
    }

    private record Invocation(int exitCode, JsonNode response, String output) {
    }

    private static Invocation invoke(Map<String, String> environment, String event, Path work)
            throws IOException, InterruptedException, URISyntaxException {
        Path jar = Path.of("target", "monitor-lambda.jar");
        assertThat(jar).as("the shaded jar, built by the package phase before this test").exists();
        Path testClasses = Path.of(LambdaRuntimeStandIn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path sharedTestClasses = Path.of(dev.cloudops.testing.LambdaContext.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Path eventFile = Path.of(MonitorTracingIT.class.getResource("/events/" + event).toURI());
        Path response = work.resolve("response.json");
        Path output = work.resolve("output.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ShippedFunction.jvmFlags(MonitorHandler.class.getName()));
        command.addAll(List.of("-cp", jar + File.pathSeparator + testClasses + File.pathSeparator + sharedTestClasses,
                LambdaRuntimeStandIn.class.getName(), MonitorHandler.class.getName(), eventFile.toString(),
                "Root=" + ROOT + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1", response.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the function did not finish in 120 s:\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        JsonNode body = Files.exists(response) ? JSON.readTree(response.toFile()) : JSON.nullNode();
        return new Invocation(process.exitValue(), body, text);
    }

    /** What the function's configuration and Lambda itself put in its environment. */
    private static Map<String, String> environment(XRayDaemonStandIn daemon) {
        String suffix = UUID.randomUUID().toString();
        dynalite.createTable(AlertsTable.createRequest("alerts-" + suffix));
        dynalite.createTable(ControlTable.createRequest("control-" + suffix));
        s3.clients().s3().createBucket(b -> b.bucket("artifacts-" + suffix));
        return Map.ofEntries(
                Map.entry("AWS_REGION", "us-east-1"),
                Map.entry("AWS_ACCESS_KEY_ID", S3Emulator.ACCESS_KEY),
                Map.entry("AWS_SECRET_ACCESS_KEY", S3Emulator.SECRET_KEY),
                Map.entry("AWS_XRAY_DAEMON_ADDRESS", daemon.address()),
                Map.entry("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR"),
                Map.entry("AWS_ENDPOINT_URL", otherServices.baseUrl()),
                Map.entry("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString()),
                Map.entry("AWS_ENDPOINT_URL_S3", s3.endpoint().toString()),
                Map.entry("ALERTS_TABLE", "alerts-" + suffix),
                Map.entry("CONTROL_TABLE", "control-" + suffix),
                Map.entry("ARTIFACTS_BUCKET", "artifacts-" + suffix),
                Map.entry("DNS_RESOLVERS", "127.0.0.1:" + dns.endpoint().getPort()),
                Map.entry("TARGETS", "targets:\n  - url: " + site.url("127.0.0.1", "/switch")
                        + "\n    failures_before_alert: 1\n"),
                Map.entry("NOTIFY_TEAMS_WEBHOOK_SECRET_ARN", TEAMS_ARN),
                Map.entry("REVIEW_SIGNING_SECRET_ARN", KEY_ARN),
                Map.entry("REVIEW_BASE_URL", "https://review.example.com"));
    }

    private static void secret(String arn, String value) {
        otherServices.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(arn)))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"ARN\":\"" + arn + "\",\"Name\":\"secret\",\"SecretString\":\"" + value
                                + "\",\"VersionId\":\"v1\"}")));
    }
}
