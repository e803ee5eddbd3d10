package dev.cloudops.notify.email;

import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.Notifier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes notifications as plain-text email to an SNS topic; its email subscribers receive them. */
public final class SnsEmailNotifier implements Notifier {

    private final SnsClient sns;
    private final String topicArn;

    public SnsEmailNotifier(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public Delivery send(Notification notification) {
        EmailMessage email = EmailMessage.from(notification);
        try {
            sns.publish(b -> b.topicArn(topicArn).subject(email.subject()).message(email.body()));
            return new Delivery.Delivered(channel(), 1);
        } catch (SdkException e) {
            return new Delivery.Failed(channel(), 1, "SNS Publish failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage().lines().findFirst().orElse("") + ")"));
        }
    }
}
