package dev.cloudops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A one-step state machine on moto standing in for the alert workflow's approval step: its only task is an
 * {@code sqs:sendMessage.waitForTaskToken} that puts the task event the approval function gets
 * ({@code {"cloudops_task":"await_decision","alert_id":..,"task_token":..}}) on a queue of its own, and waits
 * for the answer (moto runs no Lambda function, so a queue hands the real task token to the test). The
 * answer ends the execution: success with the decision as output, or failure with the answer's error.
 */
public final class ApprovalStepMachine implements AutoCloseable {

    private final SfnClient sfn;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String stateMachineArn;

    private ApprovalStepMachine(SfnClient sfn, SqsClient sqs, String queueUrl, String stateMachineArn) {
        this.sfn = sfn;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.stateMachineArn = stateMachineArn;
    }

    /** As {@link #create(MotoServer, Region, Duration)} in us-east-1. */
    public static ApprovalStepMachine create(MotoServer moto, Duration timeout) {
        return create(moto, Region.US_EAST_1, timeout);
    }

    /**
     * Switches on moto's execution of state machines and creates a machine (and its queue) with names of
     * its own in {@code region}, whose approval step times out after {@code timeout}.
     */
    public static ApprovalStepMachine create(MotoServer moto, Region region, Duration timeout) {
        moto.control("/moto-api/config",
                "{\"stepfunctions\": {\"execute_state_machine\": true}, \"lambda\": {\"use_docker\": false}}");
        String name = "approval-step-" + UUID.randomUUID().toString().substring(0, 8);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("testing", "testing"));
        SfnClient sfn = SfnClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(credentials).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(credentials).build();
        String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sfn.createStateMachine(b -> b.name(name).definition(definition(queueUrl, timeout))
                .roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/alert-workflow")).stateMachineArn();
        return new ApprovalStepMachine(sfn, sqs, queueUrl, arn);
    }

    private static String definition(String queueUrl, Duration timeout) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put("cloudops_task", "await_decision")
                .put("alert_id.$", "$.alert_id")
                .put("task_token.$", "$$.Task.Token");
        ObjectNode step = Json.mapper().createObjectNode()
                .put("Type", "Task")
                .put("Resource", "arn:aws:states:::sqs:sendMessage.waitForTaskToken")
                .put("ResultPath", "$.decision")
                .put("TimeoutSeconds", timeout.toSeconds())
                .put("End", true);
        step.putObject("Parameters").put("QueueUrl", queueUrl).set("MessageBody", body);
        ObjectNode machine = Json.mapper().createObjectNode().put("StartAt", "WaitForApproval");
        machine.putObject("States").set("WaitForApproval", step);
        return machine.toString();
    }

    public String arn() {
        return stateMachineArn;
    }

    public SfnClient sfn() {
        return sfn;
    }

    /**
     * The next task event the approval step sent (the JSON the approval function would be invoked with),
     * waiting up to 20 s for it; fails when none comes.
     */
    public JsonNode nextTaskEvent() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)
                    .maxNumberOfMessages(1)).messages();
            if (!messages.isEmpty()) {
                Message m = messages.getFirst();
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                try {
                    return Json.mapper().readTree(m.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("the approval step sent no task event within 20 s");
    }

    /** The execution once it is no longer RUNNING, waiting up to 20 s; fails when it still runs. */
    public DescribeExecutionResponse finished(String executionArn) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + executionArn, e);
            }
        }
        throw new AssertionError(executionArn + " still runs after 20 s");
    }

    @Override
    public void close() {
        sfn.close();
        sqs.close();
    }

    /** The execution's history, oldest event first. */
    public List<HistoryEvent> history(String executionArn) {
        return sfn.getExecutionHistory(b -> b.executionArn(executionArn)).events();
    }
}
