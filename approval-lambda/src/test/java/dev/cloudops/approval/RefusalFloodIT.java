package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.Severity;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Many refused decision attempts at one alert, through the handler against dynalite: the audit log gets
 * each of them, the alert item stays small, and a legitimate approval sent in the middle of the flood
 * still succeeds.
 */
@ExtendWith(Emulators.class)
class RefusalFloodIT {

    private static final int ATTEMPTS = 500;
    private static final String EVENT_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    private static final String HUGE_AGENT = "Flood/1.0 " + "x".repeat(5_000);
    private static final Pattern FIELD = Pattern.compile("name=\"(csrf|plan_hash)\" value=\"([^\"]+)\"");

    private final Dynalite dynalite;
    private final S3Emulator s3;

    RefusalFloodIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @Test
    void fiveHundredRefusedAttempts_goToTheAuditLog_leaveTheItemSmall_andAnApprovalStillWins() throws Exception {
        try (PortalTestBed bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "link"))) {
            Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(5));
            String token = bed.token(alert.alertId());
            Map<String, String> form = formOf(bed.call("get-review.json", Map.of("ALERT_ID", alert.alertId(),
                    "TOKEN", token)).path("body").asText());
            int bytesBefore = itemBytes(bed, alert.alertId());
            CountDownLatch halfway = new CountDownLatch(ATTEMPTS / 2);

            List<Integer> refused;
            JsonNode approval;
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<Integer>> attempts = new ArrayList<>();
                for (int i = 0; i < ATTEMPTS; i++) {
                    // Half with a forged review link (401), half without the form's CSRF token (403).
                    String body = i % 2 == 0
                            ? "t=forged&csrf=" + enc(form.get("csrf")) + "&plan_hash=" + form.get("plan_hash")
                                    + "&decision=approve&approver=Eve"
                            : "t=" + enc(token) + "&plan_hash=" + form.get("plan_hash") + "&decision=approve&approver=Eve";
                    attempts.add(pool.submit(() -> {
                        int status = post(bed, alert, body, HUGE_AGENT).path("statusCode").asInt();
                        halfway.countDown();
                        return status;
                    }));
                }
                halfway.await();
                approval = post(bed, alert, "t=" + enc(token) + "&csrf=" + enc(form.get("csrf")) + "&plan_hash="
                        + form.get("plan_hash") + "&decision=approve&approver=" + enc("Lee Ops"), EVENT_AGENT);
                refused = new ArrayList<>();
                for (Future<Integer> f : attempts) {
                    refused.add(f.get());
                }
            }

            assertThat(refused).filteredOn(s -> s == 401).hasSize(ATTEMPTS / 2);
            assertThat(refused).filteredOn(s -> s == 403).hasSize(ATTEMPTS / 2);
            assertThat(approval.path("statusCode").asInt()).isEqualTo(200);
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
            assertThat(stored.approvals()).singleElement().satisfies(a -> assertThat(a.by()).isEqualTo("Lee Ops"));
            assertThat(bed.executeMessages()).hasSize(1);
            assertThat(stored.audit()).noneMatch(e -> e.action() == AuditAction.DECISION_REFUSED);
            assertThat(stored.refusedAttempts()).as("noted at most once in 10 s").isBetween(1, 3);
            int bytesAfter = itemBytes(bed, alert.alertId());
            System.out.printf("alert item: %d bytes before the flood, %d after %d refusals and the approval%n",
                    bytesBefore, bytesAfter, ATTEMPTS);
            assertThat(bytesAfter).as("DynamoDB allows 400 KB; refusals add only a counter")
                    .isLessThan(bytesBefore + 3_000).isLessThan(40_000);
            List<JsonNode> logged = bed.refusals(alert.alertId());
            assertThat(logged).hasSize(ATTEMPTS).allSatisfy(line -> {
                assertThat(line.path("user_agent").asText()).hasSize(Actor.MAX_USER_AGENT).startsWith("Flood/1.0 x");
                assertThat(line.path("source_ip").asText()).isEqualTo("203.0.113.24");
            });
            assertThat(logged).filteredOn(l -> l.path("result").asText().equals("refused 401")).hasSize(ATTEMPTS / 2);
        }
    }

    private static JsonNode post(PortalTestBed bed, Alert alert, String form, String userAgent) {
        String event = PortalTestBed.read("/events/post-decision-form.json").replace(EVENT_AGENT, userAgent)
                .replace("${ALERT_ID}", alert.alertId())
                .replace("${CONTENT_LENGTH}", Integer.toString(form.length()))
                .replace("${FORM_BASE64}", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8)));
        return bed.invoke(event.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> formOf(String page) {
        Map<String, String> fields = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(page);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        assertThat(fields).containsKeys("csrf", "plan_hash");
        return fields;
    }

    /** The item's size as DynamoDB counts it (names and values in UTF-8, 3 bytes per list or map, 1 per element). */
    private int itemBytes(PortalTestBed bed, String alertId) {
        Map<String, AttributeValue> item = dynalite.client().getItem(b -> b.tableName(bed.table).consistentRead(true)
                .key(Map.of("alert_id", AttributeValue.fromS(alertId)))).item();
        return item.entrySet().stream().mapToInt(e -> utf8(e.getKey()) + bytes(e.getValue())).sum();
    }

    private static int bytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 2;
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToInt(e -> 1 + bytes(e)).sum();
        }
        if (v.hasM()) {
            return 3 + v.m().entrySet().stream().mapToInt(e -> 1 + utf8(e.getKey()) + bytes(e.getValue())).sum();
        }
        return 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
