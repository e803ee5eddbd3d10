package dev.cloudops.approval;

import static dev.cloudops.approval.DecisionRecorder.Verdict.APPROVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.orchestration.ExecutionTrigger;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.testing.AlertFixtures;
import dev.cloudops.testing.RecordingMetrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * What an approval does when starting its execution fails: the SNS publish of the execute message throws after
 * the approval was stored. The approval is kept and reported like any other, people are told, and the alert
 * records that its execution must be retried (with the message to publish again). The trigger is a Mockito mock
 * because its failure is the subject; the alert store is a stub that stores whatever it is given, so what was
 * written can be read back, and the decision listener and the notification channel are mocks that show who
 * was told what. Decisions against a real store (races, the two-person rule) are
 * {@code DecisionRecorderIT}'s, the message SNS receives {@code SnsExecutionTriggerIT}'s.
 */
@ExtendWith(MockitoExtension.class)
class DecisionRecorderTest {

    private static final Clock CLOCK = Clock.fixed(AlertFixtures.DETECTED_AT.plusSeconds(600), ZoneOffset.UTC);
    private static final Identity OPS_LEAD = new Identity("lee", "sub-lee", true, Set.of("ops-lead"), "203.0.113.7",
            "Mozilla/5.0");

    @Mock
    private AlertRepository alerts;
    @Mock
    private ExecutionTrigger trigger;
    @Mock
    private DecisionEvents events;
    @Mock
    private Notifier teams;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final Alert pending = AlertFixtures.pending("01JPUBLISHFAILS00000000001");

    @BeforeEach
    void aPendingAlert() {
        when(alerts.find(pending.alertId())).thenReturn(Optional.of(pending));
        when(alerts.apply(any())).thenAnswer(call -> new TransitionResult.Applied(call.<Transition>getArgument(0)
                .after()));
    }

    @Test
    void anApprovalWhosePublishFails_isKept_andTheRetryIsRecordedOnTheAlert() {
        when(alerts.appendEvent(eq(pending.alertId()), any())).thenReturn(true);
        doThrow(SnsException.builder().message("Rate exceeded").statusCode(400).build())
                .when(trigger).trigger(pending.alertId(), pending.planHash());

        Decision decision = recorder().decide(pending.alertId(), APPROVE, OPS_LEAD, "go", pending.planHash(), null);

        assertThat(decision).isInstanceOfSatisfying(Decision.Approved.class, a -> {
            assertThat(a.alert().state()).isEqualTo(AlertState.APPROVED);
            assertThat(a.retryNeeded()).isTrue();
        });
        assertThat(storedTransition().after().state()).as("the approval stays stored: nothing undoes it")
                .isEqualTo(AlertState.APPROVED);
        ArgumentCaptor<AuditEvent> noted = ArgumentCaptor.forClass(AuditEvent.class);
        verify(alerts).appendEvent(eq(pending.alertId()), noted.capture());
        assertThat(noted.getValue().action()).isEqualTo(AuditAction.EXECUTION_TRIGGER_FAILED);
        assertThat(noted.getValue().actor()).isEqualTo("approval");
        assertThat(noted.getValue().result()).isEqualTo("retry needed");
        assertThat(noted.getValue().detail()).startsWith("the execute message was not published (Rate exceeded")
                .endsWith("); publish {\"alert_id\":\"" + pending.alertId() + "\",\"plan_hash\":\""
                        + pending.planHash() + "\"} to the execute topic to start the approved plan");
        verify(events).recorded(decision);
        assertThat(metrics.values(MetricName.APPROVAL_RATE)).containsExactly(1.0);
    }

    @Test
    void aPublishThatSucceeds_recordsNoRetry() {
        Decision decision = recorder().decide(pending.alertId(), APPROVE, OPS_LEAD, "go", pending.planHash(), null);

        assertThat(decision).isInstanceOfSatisfying(Decision.Approved.class,
                a -> assertThat(a.retryNeeded()).isFalse());
        verify(trigger).trigger(pending.alertId(), pending.planHash());
        verify(alerts, never()).appendEvent(any(), any());
        verify(events).recorded(decision);
    }

    @Test
    void aFailedStartThatCannotBeRecordedEither_stillKeepsTheApproval_andTellsPeople() {
        doThrow(SnsException.builder().message("Topic does not exist").statusCode(404).build())
                .when(trigger).trigger(pending.alertId(), pending.planHash());
        when(alerts.appendEvent(eq(pending.alertId()), any()))
                .thenThrow(new IllegalStateException("DynamoDB throttled"));

        Decision decision = recorder().decide(pending.alertId(), APPROVE, OPS_LEAD, null, pending.planHash(), null);

        assertThat(decision).isInstanceOfSatisfying(Decision.Approved.class, a -> {
            assertThat(a.alert().state()).isEqualTo(AlertState.APPROVED);
            assertThat(a.retryNeeded()).isTrue();
        });
        assertThat(storedTransition().after().state()).isEqualTo(AlertState.APPROVED);
        verify(events).recorded(decision);
    }

    @Test
    void theApprovalsNotification_saysItsExecutionCouldNotBeStarted() {
        when(alerts.appendEvent(eq(pending.alertId()), any())).thenReturn(true);
        doThrow(SnsException.builder().message("Rate exceeded").statusCode(400).build())
                .when(trigger).trigger(pending.alertId(), pending.planHash());
        when(teams.send(any())).thenReturn(new Delivery.Delivered("teams", 1));
        ReviewLinks links = new ReviewLinks(URI.create("https://review.example.com"), new ReviewToken(
                "a-signing-key-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8), CLOCK), Duration.ofHours(1));
        DecisionEvents notifying = new NotifyingDecisionEvents(new NotificationDispatcher(List.of(teams), alerts,
                CLOCK), links);

        new DecisionRecorder(alerts, ApprovalPolicy.defaults(), trigger, CLOCK, Duration.ofHours(24), notifying,
                metrics, Optional.empty()).decide(pending.alertId(), APPROVE, OPS_LEAD, "go", pending.planHash(), null);

        ArgumentCaptor<Notification> sent = ArgumentCaptor.forClass(Notification.class);
        verify(teams).send(sent.capture());
        assertThat(sent.getValue()).isInstanceOfSatisfying(Notification.DecisionRecorded.class, d -> {
            assertThat(d.decision()).isEqualTo("approved (its execution could not be started yet)");
            assertThat(d.decidedBy()).isEqualTo("lee");
        });
    }

    /** The one transition the recorder stored. */
    private Transition storedTransition() {
        ArgumentCaptor<Transition> stored = ArgumentCaptor.forClass(Transition.class);
        verify(alerts).apply(stored.capture());
        return stored.getValue();
    }

    private DecisionRecorder recorder() {
        return new DecisionRecorder(alerts, ApprovalPolicy.defaults(), trigger, CLOCK, Duration.ofHours(24), events,
                metrics, Optional.empty());
    }
}
