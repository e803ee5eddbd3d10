package dev.cloudops.agent.bedrock;

import dev.cloudops.agent.AgentReport;
import dev.cloudops.agent.AgentUnavailableException;
import dev.cloudops.agent.Incident;
import dev.cloudops.agent.RemediationAgent;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.evidence.EvidencePack;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.FunctionInvocationInput;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvocationResultMember;

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
        AgentConversation agent = new AgentConversation(client, agentId, agentAliasId, incident.alertId(), deadline,
                clock);
        StringBuilder text = new StringBuilder();
        AgentConversation.Turn turn = agent.start(PromptBuilder.analysisPrompt(incident, evidence));
        for (int round = 1; ; round++) {
            text.append(turn.text());
            if (turn.done()) {
                return new AgentReport(Analyzer.BEDROCK, agent.sessionId(), text.toString(), agent.inputTokens(),
                        agent.outputTokens(), List.of(), null, null);
            }
            List<InvocationResultMember> results = runTools(incident, turn.calls());
            if (round == maxRounds) {
                throw new AgentUnavailableException("the agent still wanted tools after " + maxRounds + " rounds", null);
            }
            turn = agent.reply(turn.returnControl(), results);
        }
    }

    private List<InvocationResultMember> runTools(Incident incident, List<FunctionInvocationInput> calls) {
        List<InvocationResultMember> results = new ArrayList<>();
        for (FunctionInvocationInput call : calls) {
            String body = tools.call(incident, call.function(), AgentConversation.parameters(call));
            results.add(AgentConversation.result(call, body));
        }
        return results;
    }
}
