package dev.cloudops.execution.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.agent.AgentUnavailableException;
import dev.cloudops.agent.bedrock.AgentConversation;
import dev.cloudops.agent.bedrock.PromptBuilder;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.execution.ExecutionLog;
import dev.cloudops.execution.Progress;
import dev.cloudops.execution.PlanModeRunner;
import dev.cloudops.execution.StepRunner;
import dev.cloudops.execution.action.Observation;
import dev.cloudops.execution.action.StepExecutors;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanStep;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.FunctionInvocationInput;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvocationResultMember;

/**
 * Agent mode: the Bedrock agent, in the session of its analysis and given its full report and the approved plan,
 * asks for the plan's steps through the write tools. A request runs (with the same executors and preflight
 * observations as plan mode) only when it is the next approved step not yet done, with the same action and
 * canonically equal parameters; anything else is refused, audited on the alert and answered {@code REFUSED: why}.
 */
public final class AgentModeRunner implements StepRunner {

    private static final Actor EXECUTION = Actor.system("execution");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SHOWN = 1000;

    private final BedrockAgentRuntimeAsyncClient client;
    private final String agentId;
    private final String agentAliasId;
    private final Function<Alert, String> analysisReport;
    private final StepExecutors executors;
    private final AlertRepository alerts;
    private final int maxRounds;
    private final Duration deadline;
    private final Clock clock;
    private final WriteTools tools = WriteTools.load();

    /**
     * @param analysisReport the full markdown of the alert's analysis report (see {@link #reportsIn})
     * @param maxRounds      at most this many InvokeAgent calls per run
     * @param deadline       the whole conversation ends within this time
     */
    /** The Bedrock agent that runs the plan: the runtime client, the agent and its alias. */
    public record Agent(BedrockAgentRuntimeAsyncClient client, String agentId, String aliasId) {
    }

    /** How many rounds of tool calls the agent gets, and how long in all. */
    public record Limits(int maxRounds, Duration deadline) {
    }

    public AgentModeRunner(Agent agent, Function<Alert, String> analysisReport, StepExecutors executors,
            AlertRepository alerts, Limits limits, Clock clock) {
        this.client = agent.client();
        this.agentId = agent.agentId();
        this.agentAliasId = agent.aliasId();
        this.analysisReport = analysisReport;
        this.executors = executors;
        this.alerts = alerts;
        this.maxRounds = limits.maxRounds();
        this.deadline = limits.deadline();
        this.clock = clock;
    }

    /** The analysis report as stored under the alert's {@code s3AnalysisKey}. */
    public static Function<Alert, String> reportsIn(ArtifactStore artifacts) {
        return alert -> {
            if (alert.s3AnalysisKey() == null) {
                throw new ArtifactNotFoundException("(no analysis key on alert " + alert.alertId() + ")");
            }
            return new String(artifacts.get(alert.s3AnalysisKey()).content(), StandardCharsets.UTF_8);
        };
    }

    @Override
    public String mode() {
        return "agent";
    }

    /**
     * Runs the conversation. The agent's words decide nothing: the result lists what was applied, and fails
     * when a step failed (the run stops there), when the agent left approved steps undone, or when it stopped
     * answering or kept asking beyond the rounds or the deadline.
     */
    @Override
    public RunResult run(Alert alert, Plan plan, Map<String, Observation> observed, ExecutionLog log,
            Progress progress) {
        String report;
        try {
            report = analysisReport.apply(alert);
        } catch (CloudopsException | SdkException e) {
            log.agent("not started: the analysis report could not be read: " + e.getMessage());
            return new RunResult(List.of(), Optional.of("the analysis report could not be read: " + e.getMessage()),
                    0);
        }
        return new Session(alert, plan, observed, log, progress).run(report);
    }

    /** One run's state: what was applied and done so far. */
    private final class Session {

        private final Alert alert;
        private final Plan plan;
        private final Map<String, Observation> observed;
        private final ExecutionLog log;
        private final Progress progress;
        private final Set<String> touched = new HashSet<>();
        private final Set<String> done = new LinkedHashSet<>();
        private Optional<String> failure = Optional.empty();

        Session(Alert alert, Plan plan, Map<String, Observation> observed, ExecutionLog log, Progress progress) {
            this.progress = progress;
            this.alert = alert;
            this.plan = plan;
            this.observed = observed;
            this.log = log;
        }

        RunResult run(String report) {
            String session = alert.agentSessionId() == null || alert.agentSessionId().isBlank()
                    ? alert.alertId() : alert.agentSessionId();
            AgentConversation agent = new AgentConversation(client, agentId, agentAliasId, session, deadline, clock);
            StringBuilder answer = new StringBuilder();
            log.agent("session " + session + ": asked to execute the approved plan " + PlanJson.hash(plan)
                    + " (prompt with the analysis report, " + report.length() + " characters)");
            try {
                AgentConversation.Turn turn = agent.start(PromptBuilder.executionPrompt(alert, report, plan));
                for (int round = 1; ; round++) {
                    answer.append(turn.text());
                    if (turn.done()) {
                        break;
                    }
                    if (round == maxRounds) {
                        return stop("the agent still asked for tools after " + maxRounds + " rounds", agent);
                    }
                    List<InvocationResultMember> results = new ArrayList<>();
                    for (FunctionInvocationInput call : turn.calls()) {
                        String result = handle(round, call);
                        if (failure.isPresent()) {
                            return stop(failure.get(), agent);
                        }
                        results.add(AgentConversation.result(call, result));
                    }
                    turn = agent.reply(turn.returnControl(), results);
                }
            } catch (AgentUnavailableException e) {
                return stop("the agent stopped answering: " + e.getMessage(), agent);
            }
            log.agent("final answer: " + answer);
            log.agent(tokens(agent));
            List<String> notRun = plan.steps().stream()
                    .filter(s -> s.action().executable() && !done.contains(s.id()))
                    .map(s -> s.id() + " (" + s.action().name() + ")").toList();
            if (!notRun.isEmpty()) {
                return new RunResult(progress.applied(), Optional.of("the agent did not run approved step"
                        + (notRun.size() == 1 ? " " : "s ") + String.join(", ", notRun)), done.size());
            }
            return new RunResult(progress.applied(), Optional.empty(), done.size());
        }

        private RunResult stop(String why, AgentConversation agent) {
            log.agent("stopped: " + why);
            log.agent(tokens(agent));
            return new RunResult(progress.applied(), Optional.of(why), done.size());
        }

        /** Runs or refuses one requested call; a failing step sets {@link #failure}. */
        private String handle(int round, FunctionInvocationInput call) {
            Map<String, String> given = AgentConversation.parameters(call);
            String shown = shorten(call.function() + " " + JSON.valueToTree(new TreeMap<>(given)));
            WriteTools.Request request = tools.translate(call.function(), given);
            Optional<String> refusal = switch (request) {
                case WriteTools.Unusable u -> Optional.of(u.why());
                case WriteTools.Call c -> check(c);
            };
            if (refusal.isPresent()) {
                String why = refusal.get();
                alerts.appendEvent(alert.alertId(), AuditEvent.of(clock.instant(), AuditAction.TOOL_REFUSED, EXECUTION,
                        "refused", shown + ": " + why));
                log.agent("round " + round + ": " + shown + " → REFUSED: " + why);
                return "REFUSED: " + why;
            }
            PlanStep step = step(((WriteTools.Call) request).stepId()).orElseThrow();
            log.agent("round " + round + ": " + shown + " → runs approved step " + step.id());
            failure = PlanModeRunner.runStep(alert.alertId(), step, observed, touched, progress, log, executors, clock);
            if (failure.isPresent()) {
                return "FAILED: " + failure.get();
            }
            done.add(step.id());
            String calls = progress.applied().getLast().calls().stream().map(r -> r.api() + " " + r.result())
                    .collect(Collectors.joining("; "));
            return "DONE: step " + step.id() + " (" + step.action().name() + ") applied"
                    + (calls.isEmpty() ? "" : ": " + calls);
        }

        /** Why a call may not run, or empty when it is the next approved step, unchanged. */
        private Optional<String> check(WriteTools.Call call) {
            Optional<PlanStep> found = step(call.stepId());
            if (found.isEmpty()) {
                return Optional.of("the approved plan has no step " + call.stepId());
            }
            PlanStep step = found.get();
            if (!step.action().executable()) {
                return Optional.of("step " + step.id() + " is for a person, not for a tool");
            }
            if (!step.action().name().equals(call.action())) {
                return Optional.of("step " + step.id() + " is " + step.action().name() + ", not " + call.action());
            }
            JsonNode approved = PlanJson.toJson(new Plan(null, List.of(step))).at("/steps/0/parameters");
            if (!PlanJson.canonical(approved).equals(PlanJson.canonical(call.parameters()))) {
                return Optional.of("parameters differ from approved step " + step.id() + ": "
                        + differences(approved, call.parameters()));
            }
            if (done.contains(step.id())) {
                return Optional.of("step " + step.id() + " was already executed");
            }
            PlanStep next = plan.steps().stream().filter(s -> s.action().executable() && !done.contains(s.id()))
                    .findFirst().orElseThrow();
            if (!next.id().equals(step.id())) {
                return Optional.of("step " + step.id() + " comes after step " + next.id() + ", which has not run yet");
            }
            return Optional.empty();
        }

        private Optional<PlanStep> step(String id) {
            return plan.steps().stream().filter(s -> s.id().equals(id)).findFirst();
        }
    }

    /** The top-level parameters whose canonical values differ, as {@code name approved X, asked Y}. */
    private static String differences(JsonNode approved, ObjectNode asked) {
        Set<String> names = new TreeSet<>();
        approved.fieldNames().forEachRemaining(names::add);
        asked.fieldNames().forEachRemaining(names::add);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String a = approved.has(name) ? PlanJson.canonical(approved.get(name)) : "(none)";
            String b = asked.has(name) ? PlanJson.canonical(asked.get(name)) : "(none)";
            if (!a.equals(b)) {
                out.add(name + " approved " + a + ", asked " + b);
            }
        }
        return shorten(String.join("; ", out));
    }

    private static String tokens(AgentConversation agent) {
        return "tokens: " + agent.inputTokens() + " in, " + agent.outputTokens() + " out";
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "…";
    }
}
