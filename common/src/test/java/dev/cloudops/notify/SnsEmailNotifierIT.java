package dev.cloudops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.notify.email.EmailMessage;
import dev.cloudops.notify.email.SnsEmailNotifier;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import dev.cloudops.testing.SubscribedTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The email channel against moto's SNS: what the topic's subscribers receive (subject and plain-text body,
 * delivered as SNS's notification JSON), the longest subject the formatter makes, and a Publish that SNS
 * refuses. WireMock answering Publish is used in {@link NotificationDeliveryIT}, where the channels meet.
 */
@ExtendWith(Emulators.class)
class SnsEmailNotifierIT {

    private final MotoServer moto;
    private SubscribedTopic topic;
    private SnsEmailNotifier email;

    SnsEmailNotifierIT(MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void createTopic() {
        topic = SubscribedTopic.create(moto, "cloudops-notifications");
        email = new SnsEmailNotifier(moto.clients().sns(), topic.arn());
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void send_deliversTheSubjectAndPlainTextBody_toTheTopicsSubscribers() {
        Notification raised = NotificationFixtures.raised("Distribution disabled.");
        EmailMessage expected = EmailMessage.from(raised);

        Delivery delivery = email.send(raised);

        assertThat(delivery).isEqualTo(new Delivery.Delivered("email", 1));
        JsonNode received = topic.nextDelivery();
        assertThat(received.path("Type").asText()).isEqualTo("Notification");
        assertThat(received.path("TopicArn").asText()).isEqualTo(topic.arn());
        assertThat(received.path("Subject").asText()).isEqualTo(expected.subject())
                .isEqualTo("[cloudops] CRITICAL: HTTP_ERROR on shop.example.com");
        assertThat(received.path("Message").asText()).isEqualTo(expected.body())
                .contains("Review and decide: " + NotificationFixtures.REVIEW);
        assertThat(topic.waiting()).isZero();
    }

    /**
     * The formatter cuts subjects to {@link EmailMessage#MAX_SUBJECT} characters; moto refuses a longer one as
     * SNS does, so a subject at the limit must be accepted and arrive unchanged.
     */
    @Test
    void aSubjectCutToTheLimit_isAccepted_andArrivesWhole() {
        Notification.AlertRef longRef = new Notification.AlertRef("01JLONG", "a".repeat(200) + ".example.com",
                NotificationFixtures.REF.issueType(), NotificationFixtures.REF.severity(), null);
        Notification expired = new Notification.AlertExpired(longRef, "late");

        Delivery delivery = email.send(expired);

        assertThat(delivery).isEqualTo(new Delivery.Delivered("email", 1));
        assertThat(topic.nextDelivery().path("Subject").asText()).hasSize(EmailMessage.MAX_SUBJECT)
                .isEqualTo(EmailMessage.from(expired).subject());
    }

    @Test
    void aTopicThatDoesNotExist_isAFailedDelivery_namingSnsAnswer() {
        SnsEmailNotifier nowhere = new SnsEmailNotifier(moto.clients().sns(),
                "arn:aws:sns:us-east-1:" + MotoServer.ACCOUNT + ":no-such-topic");

        Delivery delivery = nowhere.send(NotificationFixtures.raised("Distribution disabled."));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Failed.class, failed -> {
            assertThat(failed.channel()).isEqualTo("email");
            assertThat(failed.attempts()).isEqualTo(1);
            assertThat(failed.reason()).startsWith("SNS Publish failed: NotFoundException (");
        });
    }
}
