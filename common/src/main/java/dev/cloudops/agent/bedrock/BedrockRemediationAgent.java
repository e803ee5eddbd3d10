package dev.cloudops.agent.bedrock;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.AgentUnavailableException;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.evidence.EvidencePack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The Bedrock analyser: InvokeAgent with the alert's session, the structured prompt and the evidence
 * pack, trace on for token usage. When the agent returns control to call a read tool, this process
 * runs it and sends the result back in the next InvokeAgent call, up to {@code maxRounds} rounds and
 * within {@code deadline} overall. Any failure, throttling or timeout is an {@link AgentUnavailableException}.
 */
public final class BedrockRemediationAgent implements RemediationAgent {

    private final BedrockAgentRuntimeAsyncClient client;
    private final String agentId;
    private final String agentAliasId;
    private final AgentTools tools;
    private final int maxRounds;
    private final Duration deadline;
    private final Clock clock;

    public BedrockRemediationAgent(BedrockAgentRuntimeAsyncClient client, String agentId, String agentAliasId,
            AgentTools tools, int maxRounds, Duration deadline, Clock clock) {
        this.client = client;
        this.agentId = agentId;
        this.agentAliasId = agentAliasId;
        this.tools = tools;
        this.maxRounds = maxRounds;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public AgentReport analyze(Incident incident, EvidencePack evidence) {
        String sessionId = incident.alertId();
        Instant until = clock.instant().plus(deadline);
        AtomicLong inputTokens = new AtomicLong();
        AtomicLong outputTokens = new AtomicLong();
        StringBuilder text = new StringBuilder();
        SessionState state = null;
        for (int round = 0; round < maxRounds; round++) {
            Round result = invoke(InvokeAgentRequest.builder()
                    .agentId(agentId)
                    .agentAliasId(agentAliasId)
                    .sessionId(sessionId)
                    .enableTrace(true)
                    .inputText(state == null ? PromptBuilder.analysisPrompt(incident, evidence) : null)
                    .sessionState(state)
                    .build(), until, inputTokens, outputTokens);
            text.append(result.text());
            if (result.returnControl() == null) {
                return new AgentReport(Analyzer.BEDROCK, sessionId, text.toString(), inputTokens.get(),
                        outputTokens.get(), List.of(), null, null);
            }
            state = SessionState.builder()
                    .invocationId(result.returnControl().invocationId())
                    .returnControlInvocationResults(runTools(incident, result.returnControl()))
                    .build();
        }
        throw new AgentUnavailableException("the agent still wanted tools after " + maxRounds + " rounds", null);
    }

    private record Round(String text, ReturnControlPayload returnControl) {
    }

    private Round invoke(InvokeAgentRequest request, Instant until, AtomicLong inputTokens, AtomicLong outputTokens) {
        StringBuilder text = new StringBuilder();
        List<ReturnControlPayload> control = new ArrayList<>();
        InvokeAgentResponseHandler handler = InvokeAgentResponseHandler.builder()
                .subscriber(InvokeAgentResponseHandler.Visitor.builder()
                        .onChunk(chunk -> text.append(chunk.bytes().asUtf8String()))
                        .onReturnControl(control::add)
                        .onTrace(trace -> countTokens(trace, inputTokens, outputTokens))
                        .build())
                .build();
        long left = Duration.between(clock.instant(), until).toMillis();
        if (left <= 0) {
            throw new AgentUnavailableException("the agent did not finish within " + deadline.toSeconds() + " s", null);
        }
        try {
            client.invokeAgent(request, handler).get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentUnavailableException("the agent did not finish within " + deadline.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AgentUnavailableException("InvokeAgent failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnavailableException("interrupted while waiting for the agent", e);
        }
        return new Round(text.toString(), control.isEmpty() ? null : control.getLast());
    }

    private List<InvocationResultMember> runTools(Incident incident, ReturnControlPayload control) {
        List<InvocationResultMember> results = new ArrayList<>();
        for (InvocationInputMember input : control.invocationInputs()) {
            FunctionInvocationInput call = input.functionInvocationInput();
            if (call == null) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (FunctionParameter p : call.parameters()) {
                parameters.put(p.name(), p.value());
            }
            String body = tools.call(incident, call.function(), parameters);
            results.add(InvocationResultMember.fromFunctionResult(FunctionResult.builder()
                    .actionGroup(call.actionGroup())
                    .function(call.function())
                    .responseBody(Map.of("TEXT", ContentBody.builder().body(body).build()))
                    .build()));
        }
        return results;
    }

    private static void countTokens(TracePart part, AtomicLong input, AtomicLong output) {
        var trace = part.trace();
        if (trace == null || trace.orchestrationTrace() == null
                || trace.orchestrationTrace().modelInvocationOutput() == null
                || trace.orchestrationTrace().modelInvocationOutput().metadata() == null
                || trace.orchestrationTrace().modelInvocationOutput().metadata().usage() == null) {
            return;
        }
        var usage = trace.orchestrationTrace().modelInvocationOutput().metadata().usage();
        if (usage.inputTokens() != null) {
            input.addAndGet(usage.inputTokens());
        }
        if (usage.outputTokens() != null) {
            output.addAndGet(usage.outputTokens());
        }
    }
}
