package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Fifty people press Approve at once on one alert: one approval, one execute message, 49 times 409. */
@ExtendWith(Emulators.class)
class ConcurrentDecisionsIT {

    private final Dynalite dynalite;
    private final S3Emulator s3;

    ConcurrentDecisionsIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @Test
    void fiftyConcurrentApprovals_approveOnce_publishOnce_andAnswer409ToTheRest() throws Exception {
        try (PortalTestBed bed = new PortalTestBed(dynalite, s3, Map.of("AUTH_MODE", "link"))) {
            Alert alert = bed.seed(Severity.MEDIUM, "shop.example.com", Duration.ofMinutes(5));
            String token = bed.token(alert.alertId());
            String page = bed.call("get-review.json", Map.of("ALERT_ID", alert.alertId(), "TOKEN", token))
                    .path("body").asText();
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
            Matcher plan = Pattern.compile("name=\"plan_hash\" value=\"([^\"]+)\"").matcher(page);
            assertThat(m.find()).isTrue();
            assertThat(plan.find()).isTrue();
            String csrf = m.group(1);

            List<Integer> statuses = race(50, i -> {
                String form = "csrf=" + enc(csrf) + "&t=" + enc(token) + "&plan_hash=" + plan.group(1)
                        + "&decision=approve&approver=person-" + i;
                return bed.call("post-decision-form.json", Map.of("ALERT_ID", alert.alertId(),
                        "FORM_BASE64", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8))));
            });

            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(49);
            Alert stored = bed.alerts.find(alert.alertId()).orElseThrow();
            assertThat(stored.state()).isEqualTo(AlertState.APPROVED);
            assertThat(stored.approvals()).hasSize(1);
            assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.APPROVED).hasSize(1);
            assertThat(bed.executeMessages()).singleElement()
                    .satisfies(msg -> assertThat(msg.path("alert_id").asText()).isEqualTo(alert.alertId()));
        }
    }

    private interface Request {
        JsonNode send(int index);
    }

    private static List<Integer> race(int n, Request request) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return request.send(index);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<JsonNode> f : futures) {
                statuses.add(f.get().path("statusCode").asInt());
            }
            return statuses;
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
