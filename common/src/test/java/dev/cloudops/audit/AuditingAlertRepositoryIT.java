package dev.cloudops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.alert.dynamodb.AlertsTable;
import dev.cloudops.alert.dynamodb.DynamoDbAlertRepository;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.RecordingAuditTrail;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The auditing decorator over the real DynamoDB store: what is stored is audited, and only that. */
@ExtendWith(Emulators.class)
class AuditingAlertRepositoryIT {

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final AuditingAlertRepository alerts;

    AuditingAlertRepositoryIT(Dynalite dynalite) {
        String table = "alerts-" + UUID.randomUUID();
        dynalite.createTable(AlertsTable.createRequest(table));
        alerts = new AuditingAlertRepository(new DynamoDbAlertRepository(dynalite.client(), table, Duration.ofDays(7)),
                trail);
    }

    @Test
    void everyStoredEvent_isRecordedInOrder_andMatchesTheAlertsOwnTrail() {
        Alert detected = alerts.create(AlertFixtures.detected("01JAUDIT" + UUID.randomUUID().toString().substring(0, 8)));
        TransitionResult analysed = alerts.apply(detected.analyze(AlertFixtures.analysis(1),
                AlertFixtures.MONITOR, detected.timestamp().plusSeconds(5)));
        boolean appended = alerts.appendEvent(detected.alertId(), AuditEvent.of(detected.timestamp().plusSeconds(6),
                AuditAction.NOTIFIED, AlertFixtures.MONITOR, "delivered", "teams"));

        Alert stored = alerts.find(detected.alertId()).orElseThrow();

        assertThat(analysed).isInstanceOf(TransitionResult.Applied.class);
        assertThat(appended).isTrue();
        assertThat(trail.entries()).extracting(RecordingAuditTrail.Entry::alertId).containsOnly(detected.alertId());
        assertThat(trail.entries()).extracting(RecordingAuditTrail.Entry::event).containsExactlyElementsOf(stored.audit());
        assertThat(trail.entries()).extracting(e -> e.event().action())
                .containsExactly(AuditAction.DETECTED, AuditAction.ANALYZED, AuditAction.NOTIFIED);
    }

    @Test
    void everyRefusal_isRecordedInFull_whileTheAlertOnlyCountsThem() {
        Alert detected = alerts.create(AlertFixtures.detected("01JAUDIT" + UUID.randomUUID().toString().substring(0, 8)));
        int before = trail.entries().size();
        List<AuditEvent> refusals = List.of(refusal(detected, 1), refusal(detected, 2), refusal(detected, 3));

        refusals.forEach(r -> alerts.noteRefusal(detected.alertId(), r, Duration.ofSeconds(10)));
        alerts.noteRefusal("01JNOSUCHALERT", refusal(detected, 4), Duration.ofSeconds(10));

        assertThat(trail.entries().subList(before, trail.entries().size())).extracting(RecordingAuditTrail.Entry::event)
                .containsExactly(refusals.get(0), refusals.get(1), refusals.get(2), refusal(detected, 4));
        Alert stored = alerts.find(detected.alertId()).orElseThrow();
        assertThat(stored.refusedAttempts()).isOne();
        assertThat(stored.audit()).isEqualTo(detected.audit());
    }

    private static AuditEvent refusal(Alert alert, int second) {
        return AuditEvent.of(alert.timestamp().plusSeconds(second), AuditAction.DECISION_REFUSED,
                new dev.cloudops.alert.Actor("unauthenticated request", false, "198.51.100.9", "curl/8.5.0"),
                "refused 401", "the review link is not valid: bad signature");
    }

    @Test
    void aLostRace_andAMissingAlert_recordNothing() {
        Alert detected = alerts.create(AlertFixtures.detected("01JAUDIT" + UUID.randomUUID().toString().substring(0, 8)));
        Transition analyse = detected.analyze(AlertFixtures.analysis(1), AlertFixtures.MONITOR,
                detected.timestamp().plusSeconds(5));
        alerts.apply(analyse);
        int before = trail.entries().size();

        TransitionResult again = alerts.apply(analyse);
        boolean appended = alerts.appendEvent("01JNOSUCHALERT", AuditEvent.of(detected.timestamp(),
                AuditAction.NOTIFIED, AlertFixtures.MONITOR, "delivered", null));

        assertThat(again).isInstanceOf(TransitionResult.Conflict.class);
        assertThat(appended).isFalse();
        assertThat(trail.entries()).hasSize(before);
    }
}
