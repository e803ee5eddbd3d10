package dev.cloudops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * moto's Step Functions interpreter running a state machine whose lambda:invoke tasks reach Java code
 * through {@link LambdaStandIn}: the payload arrives as the state machine built it, the answer comes back as
 * {@code $.Payload}, and a thrown exception is a task failure named by its class, which Catch matches.
 */
class LambdaStandInIT {

    private static MotoServer moto;
    private static LambdaStandIn lambda;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        moto.control("/moto-api/config",
                "{\"stepfunctions\": {\"execute_state_machine\": true}, \"lambda\": {\"use_docker\": false}}");
        lambda = new LambdaStandIn()
                .bind("echo", payload -> ("{\"seen\":" + new String(payload, StandardCharsets.UTF_8) + "}")
                        .getBytes(StandardCharsets.UTF_8))
                .bind("refuses", payload -> {
                    throw new IllegalStateException("refused: " + new String(payload, StandardCharsets.UTF_8));
                });
        moto.forwardLambdaInvocationsTo(lambda.endpoint());
    }

    @AfterAll
    static void stop() {
        lambda.close();
        moto.close();
    }

    @Test
    void taskGetsTheJavaAnswer_andAThrownExceptionIsCaughtByItsClassName() throws Exception {
        String definition = """
                {"StartAt": "Echo", "States": {
                  "Echo": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:echo:live",
                                   "Payload": {"cloudops_task": "echo", "n.$": "$.n"}},
                    "ResultSelector": {"seen.$": "$.Payload.seen"}, "ResultPath": "$.echo", "Next": "Refuse"},
                  "Refuse": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "refuses", "Payload": {"n.$": "$.n"}}, "ResultPath": "$.refused",
                    "Catch": [{"ErrorEquals": ["java.lang.IllegalStateException"], "ResultPath": "$.error",
                               "Next": "Caught"}],
                    "End": true},
                  "Caught": {"Type": "Succeed"}}}""";
        SfnClient sfn = moto.clients().sfn();
        String machine = sfn.createStateMachine(b -> b.name("stand-in-check").definition(definition)
                .roleArn("arn:aws:iam::123456789012:role/stand-in")).stateMachineArn();

        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"n\": 7}")).executionArn();
        DescribeExecutionResponse done = awaitEnd(sfn, execution);

        assertThat(done.status()).as(done.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = Json.mapper().readTree(done.output());
        assertThat(output.at("/echo/seen/cloudops_task").asText()).isEqualTo("echo");
        assertThat(output.at("/echo/seen/n").asInt()).isEqualTo(7);
        assertThat(output.at("/error/Error").asText()).isEqualTo("java.lang.IllegalStateException");
        // As in AWS, the cause is the function's error payload.
        JsonNode cause = Json.mapper().readTree(output.at("/error/Cause").asText());
        assertThat(cause.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(cause.path("errorMessage").asText()).startsWith("refused: {").contains("7");
        assertThat(lambda.count("echo", "echo")).isEqualTo(1);
        assertThat(lambda.invocations()).extracting(LambdaStandIn.Invocation::function).containsExactly("echo", "refuses");
    }

    static DescribeExecutionResponse awaitEnd(SfnClient sfn, String execution) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        DescribeExecutionResponse response;
        do {
            Thread.sleep(100);
            response = sfn.describeExecution(b -> b.executionArn(execution));
        } while (response.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(deadline));
        return response;
    }
}
