package dev.cloudops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/**
 * How the dispatcher reacts to one notification channel failing or hanging: the other channels are still
 * delivered, each outcome lands on the alert, and the caller never sees the failure. The channels are Mockito
 * mocks because a channel's failure is the subject here: a channel that throws (breaking its promise to
 * report failures as a {@link Delivery.Failed}) or hangs stands for any broken webhook or SDK call; what
 * each real channel posts, and how it retries, is {@code NotificationDeliveryIT}'s, against a loopback
 * receiver. The alert store is a stub that only
 * receives the outcomes, so they can be read back.
 */
@ExtendWith(MockitoExtension.class)
class NotificationDispatcherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:31:00Z"), ZoneOffset.UTC);

    @Mock
    private Notifier teams;
    @Mock
    private Notifier slack;
    @Mock
    private Notifier email;
    @Mock
    private AlertRepository alerts;

    private final Notification.AlertRaised raised = NotificationFixtures.raised("Distribution disabled.");

    @Test
    void aChannelThatThrows_failsAlone_andTheOthersAreDelivered() {
        when(alerts.appendEvent(eq("01JALERT"), any())).thenReturn(true);
        when(teams.channel()).thenReturn("teams");
        when(teams.send(raised)).thenThrow(new UncheckedIOException("webhook unreachable",
                new SocketTimeoutException("connect timed out")));
        when(slack.send(raised)).thenReturn(new Delivery.Delivered("slack", 1));
        when(email.send(raised)).thenReturn(new Delivery.Delivered("email", 1));

        List<Delivery> deliveries = dispatcher().dispatch(raised);

        assertThat(deliveries).containsExactly(
                new Delivery.Failed("teams", 0, "UncheckedIOException"),
                new Delivery.Delivered("slack", 1),
                new Delivery.Delivered("email", 1));
        verify(slack).send(raised);
        verify(email).send(raised);
        assertThat(recordedOutcomes()).extracting(AuditEvent::action, AuditEvent::result, AuditEvent::detail)
                .containsExactlyInAnyOrder(
                        tuple(AuditAction.NOTIFICATION_FAILED, "failed",
                                "teams: CRITICAL: HTTP_ERROR on shop.example.com: UncheckedIOException"),
                        tuple(AuditAction.NOTIFIED, "delivered",
                                "slack: CRITICAL: HTTP_ERROR on shop.example.com (attempt 1)"),
                        tuple(AuditAction.NOTIFIED, "delivered",
                                "email: CRITICAL: HTTP_ERROR on shop.example.com (attempt 1)"));
    }

    @Test
    void everyChannelThrowing_failsEachAlone_andTheCallerStillGetsAnAnswer() {
        when(alerts.appendEvent(eq("01JALERT"), any())).thenReturn(true);
        when(teams.channel()).thenReturn("teams");
        when(slack.channel()).thenReturn("slack");
        when(email.channel()).thenReturn("email");
        when(teams.send(raised)).thenThrow(new IllegalStateException("bad card"));
        when(slack.send(raised)).thenThrow(new UncheckedIOException("reset", new java.io.IOException("reset")));
        when(email.send(raised)).thenThrow(new IllegalArgumentException("no such topic"));

        List<Delivery> deliveries = dispatcher().dispatch(raised);

        assertThat(deliveries).containsExactly(
                new Delivery.Failed("teams", 0, "IllegalStateException"),
                new Delivery.Failed("slack", 0, "UncheckedIOException"),
                new Delivery.Failed("email", 0, "IllegalArgumentException"));
        assertThat(recordedOutcomes()).extracting(AuditEvent::action).containsOnly(AuditAction.NOTIFICATION_FAILED)
                .hasSize(3);
    }

    @Test
    void aChannelThatHangs_doesNotHoldBackTheOthers() throws Exception {
        when(alerts.appendEvent(eq("01JALERT"), any())).thenReturn(true);
        CountDownLatch othersSent = new CountDownLatch(2);
        when(slack.send(raised)).thenAnswer(call -> {
            othersSent.countDown();
            return new Delivery.Delivered("slack", 1);
        });
        when(email.send(raised)).thenAnswer(call -> {
            othersSent.countDown();
            return new Delivery.Delivered("email", 1);
        });
        // Teams answers only once the other two have been sent: were the channels sent one after another
        // (Teams first), this would wait in vain and Teams would fail.
        when(teams.send(raised)).thenAnswer(call -> othersSent.await(10, TimeUnit.SECONDS)
                ? new Delivery.Delivered("teams", 1)
                : new Delivery.Failed("teams", 1, "the other channels were held back"));

        List<Delivery> deliveries = dispatcher().dispatch(raised);

        assertThat(deliveries).containsExactly(new Delivery.Delivered("teams", 1), new Delivery.Delivered("slack", 1),
                new Delivery.Delivered("email", 1));
        assertThat(recordedOutcomes()).extracting(AuditEvent::action).containsOnly(AuditAction.NOTIFIED).hasSize(3);
    }

    @Test
    void anOutcomeTheAlertStoreCannotTakeDown_isLost_butNoDeliveryIs() {
        when(slack.send(raised)).thenReturn(new Delivery.Delivered("slack", 1));
        when(email.send(raised)).thenReturn(new Delivery.Delivered("email", 1));
        when(teams.send(raised)).thenReturn(new Delivery.Delivered("teams", 2));
        when(alerts.appendEvent(eq("01JALERT"), any())).thenReturn(true);
        doThrow(new IllegalStateException("DynamoDB throttled")).when(alerts).appendEvent(eq("01JALERT"),
                argThat(e -> e.detail().startsWith("teams:")));

        List<Delivery> deliveries = dispatcher().dispatch(raised);

        assertThat(deliveries).containsExactly(new Delivery.Delivered("teams", 2), new Delivery.Delivered("slack", 1),
                new Delivery.Delivered("email", 1));
        assertThat(recordedOutcomes()).extracting(AuditEvent::detail).hasSize(3)
                .anySatisfy(d -> assertThat(d).startsWith("slack: "))
                .anySatisfy(d -> assertThat(d).startsWith("email: "));
    }

    private NotificationDispatcher dispatcher() {
        return new NotificationDispatcher(List.of(teams, slack, email), alerts, CLOCK);
    }

    /** Every outcome the dispatcher tried to record on the alert. */
    private List<AuditEvent> recordedOutcomes() {
        ArgumentCaptor<AuditEvent> events = ArgumentCaptor.forClass(AuditEvent.class);
        verify(alerts, times(3)).appendEvent(eq("01JALERT"), events.capture());
        return events.getAllValues();
    }
}
