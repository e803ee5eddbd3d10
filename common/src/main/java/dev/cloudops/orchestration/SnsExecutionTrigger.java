package dev.cloudops.orchestration;

import dev.cloudops.json.Json;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes {@code {"alert_id": ..., "plan_hash": ...}} to the execute topic. A failure propagates, so the
 * caller knows the approval is stored but execution was not started.
 */
public final class SnsExecutionTrigger implements ExecutionTrigger {


    private final SnsClient sns;
    private final String topicArn;

    public SnsExecutionTrigger(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void trigger(String alertId, String planHash) {
        String message = Json.mapper().createObjectNode().put("alert_id", alertId).put("plan_hash", planHash).toString();
        sns.publish(b -> b.topicArn(topicArn).message(message).messageAttributes(Map.of("alert_id",
                MessageAttributeValue.builder().dataType("String").stringValue(alertId).build())));
    }
}
