package dev.cloudops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SNS topic in moto with an SQS queue subscribed to it, so a test reads what the topic delivered as a
 * subscriber receives it, not the request that was sent: SNS's JSON notification (Type, MessageId, TopicArn,
 * Subject, Message, and MessageAttributes as {@code {"Type": ..., "Value": ...}}), the same fields a Lambda
 * function subscribed to the topic finds in {@code Records[].Sns}. moto delivers into the queue while it
 * answers the Publish call, so the message is there when the publisher returns; reading waits for it by long
 * polling, never by sleeping. Topic and queue are named uniquely, as moto is shared by the test JVM.
 */
public final class SubscribedTopic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String topicArn;
    private final String queueUrl;

    private SubscribedTopic(SqsClient sqs, String topicArn, String queueUrl) {
        this.sqs = sqs;
        this.topicArn = topicArn;
        this.queueUrl = queueUrl;
    }

    /** Creates a topic called {@code <prefix>-<random>} and a queue subscribed to it (not raw delivery). */
    public static SubscribedTopic create(MotoServer moto, String prefix) {
        String name = prefix + "-" + UUID.randomUUID();
        SnsClient sns = moto.clients().sns();
        SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        String topicArn = sns.createTopic(b -> b.name(name)).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        return new SubscribedTopic(sqs, topicArn, queueUrl);
    }

    public String arn() {
        return topicArn;
    }

    /**
     * The next notification the queue received, parsed; fails if none arrives within five seconds (long
     * polling: it returns as soon as one is there).
     */
    public JsonNode nextDelivery() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)
                .waitTimeSeconds(5)).messages();
        if (messages.isEmpty()) {
            throw new AssertionError("nothing was delivered from " + topicArn + " within 5 s");
        }
        Message message = messages.getFirst();
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        try {
            return JSON.readTree(message.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the delivery from " + topicArn + " is not JSON: " + message.body(), e);
        }
    }

    /** How many notifications wait in the queue now (without receiving them). */
    public int waiting() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Override
    public void close() {
        sqs.close();
    }
}
