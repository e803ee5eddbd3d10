package dev.cloudops.agent.bedrock;

import dev.cloudops.agent.AgentUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.ContentBody;
import software.amazon.awssdk.services.bedrockagentruntime.model.FunctionInvocationInput;
import software.amazon.awssdk.services.bedrockagentruntime.model.FunctionParameter;
import software.amazon.awssdk.services.bedrockagentruntime.model.FunctionResult;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvocationInputMember;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvocationResultMember;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentRequest;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.ReturnControlPayload;
import software.amazon.awssdk.services.bedrockagentruntime.model.SessionState;
import software.amazon.awssdk.services.bedrockagentruntime.model.TracePart;

/**
 * One InvokeAgent session of the Bedrock agent, within one deadline from its creation: sends the prompt,
 * then the results of the RETURN_CONTROL functions the agent asked for, collecting text and token usage.
 */
public final class AgentConversation {

    private final BedrockAgentRuntimeAsyncClient client;
    private final String agentId;
    private final String agentAliasId;
    private final String sessionId;
    private final Duration deadline;
    private final Instant until;
    private final Clock clock;
    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();

    public AgentConversation(BedrockAgentRuntimeAsyncClient client, String agentId, String agentAliasId,
            String sessionId, Duration deadline, Clock clock) {
        this.client = client;
        this.agentId = agentId;
        this.agentAliasId = agentAliasId;
        this.sessionId = sessionId;
        this.deadline = deadline;
        this.clock = clock;
        this.until = clock.instant().plus(deadline);
    }

    /** What the agent sent in one round: its text, and the control it returned to run functions (null when done). */
    public record Turn(String text, ReturnControlPayload returnControl) {

        /** True when the agent asks for nothing more. */
        public boolean done() {
            return returnControl == null;
        }

        /** The function calls the agent asks for, in its order. */
        public List<FunctionInvocationInput> calls() {
            if (returnControl == null) {
                return List.of();
            }
            return returnControl.invocationInputs().stream().map(InvocationInputMember::functionInvocationInput)
                    .filter(Objects::nonNull).toList();
        }
    }

    /**
     * Opens the session with the prompt.
     *
     * @throws AgentUnavailableException when InvokeAgent fails, is throttled or misses the deadline
     */
    public Turn start(String prompt) {
        return invoke(request().inputText(prompt).build());
    }

    /**
     * Sends the results of the functions of {@code control} (one per call, see {@link #result}).
     *
     * @throws AgentUnavailableException when InvokeAgent fails, is throttled or misses the deadline
     */
    public Turn reply(ReturnControlPayload control, List<InvocationResultMember> results) {
        return invoke(request().sessionState(SessionState.builder()
                .invocationId(control.invocationId())
                .returnControlInvocationResults(results)
                .build()).build());
    }

    /** The parameters of a call by name, as the agent gave them (Bedrock sends every value as text). */
    public static Map<String, String> parameters(FunctionInvocationInput call) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (FunctionParameter p : call.parameters()) {
            parameters.put(p.name(), p.value());
        }
        return parameters;
    }

    /** The result of a call, as text for the agent. */
    public static InvocationResultMember result(FunctionInvocationInput call, String body) {
        return InvocationResultMember.fromFunctionResult(FunctionResult.builder()
                .actionGroup(call.actionGroup())
                .function(call.function())
                .responseBody(Map.of("TEXT", ContentBody.builder().body(body).build()))
                .build());
    }

    public String sessionId() {
        return sessionId;
    }

    public long inputTokens() {
        return inputTokens.get();
    }

    public long outputTokens() {
        return outputTokens.get();
    }

    private InvokeAgentRequest.Builder request() {
        return InvokeAgentRequest.builder()
                .agentId(agentId)
                .agentAliasId(agentAliasId)
                .sessionId(sessionId)
                .enableTrace(true);
    }

    private Turn invoke(InvokeAgentRequest request) {
        StringBuilder text = new StringBuilder();
        List<ReturnControlPayload> control = new ArrayList<>();
        InvokeAgentResponseHandler handler = InvokeAgentResponseHandler.builder()
                .subscriber(InvokeAgentResponseHandler.Visitor.builder()
                        .onChunk(chunk -> text.append(chunk.bytes().asUtf8String()))
                        .onReturnControl(control::add)
                        .onTrace(this::countTokens)
                        .build())
                .build();
        long left = Duration.between(clock.instant(), until).toMillis();
        if (left <= 0) {
            throw new AgentUnavailableException("the agent did not finish within " + deadline.toSeconds() + " s", null);
        }
        CompletableFuture<Void> call = client.invokeAgent(request, handler);
        try {
            call.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new AgentUnavailableException("the agent did not finish within " + deadline.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AgentUnavailableException("InvokeAgent failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnavailableException("interrupted while waiting for the agent", e);
        }
        return new Turn(text.toString(), control.isEmpty() ? null : control.getLast());
    }

    private void countTokens(TracePart part) {
        var trace = part.trace();
        if (trace == null || trace.orchestrationTrace() == null
                || trace.orchestrationTrace().modelInvocationOutput() == null
                || trace.orchestrationTrace().modelInvocationOutput().metadata() == null
                || trace.orchestrationTrace().modelInvocationOutput().metadata().usage() == null) {
            return;
        }
        var usage = trace.orchestrationTrace().modelInvocationOutput().metadata().usage();
        if (usage.inputTokens() != null) {
            inputTokens.addAndGet(usage.inputTokens());
        }
        if (usage.outputTokens() != null) {
            outputTokens.addAndGet(usage.outputTokens());
        }
    }
}
