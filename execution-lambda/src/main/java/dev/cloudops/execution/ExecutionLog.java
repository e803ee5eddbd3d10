package dev.cloudops.execution;

import dev.cloudops.alert.Alert;
import dev.cloudops.execution.action.CallRecord;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The execution log, written as markdown to {@code executions/}: the prechecks, the preflight of every
 * step, every API call with its parameters, request id, result and timing, the agent's transcript,
 * verification and rollback, and the outcome. Built up as the execution goes, stored on every exit path.
 */
public final class ExecutionLog {

    private final StringBuilder md = new StringBuilder();
    private final Clock clock;
    private String section = "";
    private Instant keyedAt; // null: the stored log's key is dated when it is stored

    public ExecutionLog(Alert alert, String mode, Clock clock) {
        this.clock = clock;
        md.append("# Execution of alert ").append(alert.alertId()).append("\n\n")
                .append("- Domain: ").append(alert.domain()).append('\n')
                .append("- Issue: ").append(alert.issueType()).append(" (").append(alert.severity()).append(")\n")
                .append("- Target: ").append(alert.targetUrl()).append('\n')
                .append("- Approved by: ").append(alert.approvedBy()).append(" at ").append(at(alert.approvedAt()))
                .append('\n')
                .append("- Plan hash: `").append(alert.planHash()).append("`\n")
                .append("- Mode: ").append(mode).append('\n')
                .append("- Started: ").append(at(clock.instant())).append("\n");
    }

    private ExecutionLog(String previous, Clock clock) {
        this.clock = clock;
        md.append(previous);
    }

    /**
     * The log of an execution run as several tasks (one invocation each): the parts stored so far, then this
     * task's, all stored under one key dated by {@code keyedAt} (the claim), so each task finds the previous
     * parts and the finished log is one object.
     */
    static ExecutionLog continued(String previous, String task, Instant keyedAt, Clock clock) {
        ExecutionLog log = new ExecutionLog(previous, clock).keyedAt(keyedAt);
        log.md.append("\n---\n\n*Task ").append(task).append(", ").append(at(clock.instant())).append("*\n");
        return log;
    }

    /** Dates the stored log's key by {@code at} instead of the time it is stored. */
    ExecutionLog keyedAt(Instant at) {
        this.keyedAt = at;
        return this;
    }

    /** The time the stored log's key is dated by. */
    Instant keyInstant() {
        return keyedAt == null ? clock.instant() : keyedAt;
    }

    private void in(String name) {
        if (!section.equals(name)) {
            md.append("\n## ").append(name).append("\n\n");
            section = name;
        }
    }

    public void precheck(String name, boolean passed, String detail) {
        in("Prechecks");
        md.append("- ").append(passed ? "✔ " : "✘ ").append(name).append(": ").append(oneLine(detail)).append('\n');
    }

    public void preflight(PlanStep step, Map<String, String> expected, Map<String, String> observed, String verdict,
            String permission) {
        in("Preflight");
        md.append("### ").append(step.id()).append(" ").append(step.action().name()).append("\n\n")
                .append("| fact | expected (at analysis) | observed now |\n|---|---|---|\n");
        expected.forEach((k, v) -> md.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" | ")
                .append(cell(observed.getOrDefault(k, "(not readable)"))).append(" |\n"));
        md.append("\n- State: ").append(oneLine(verdict)).append("\n- Permission: ").append(oneLine(permission))
                .append("\n\n");
    }

    public void step(PlanStep step, String outcome, List<CallRecord> calls, Duration took) {
        in("Steps");
        md.append("### ").append(step.id()).append(" ").append(step.action().name()).append(" — ").append(oneLine(outcome))
                .append(" (").append(took.toMillis()).append(" ms)\n\n");
        calls(calls);
    }

    public void agent(String line) {
        in("Agent transcript");
        md.append("- ").append(oneLine(line)).append('\n');
    }

    public void verification(String line) {
        in("Verification");
        md.append("- ").append(oneLine(line)).append('\n');
    }

    public void rollback(PlanStep step, String outcome, List<CallRecord> calls) {
        in("Rollback");
        md.append("### undo ").append(step.id()).append(" ").append(step.action().name()).append(" — ")
                .append(oneLine(outcome)).append("\n\n");
        calls(calls);
    }

    public void outcome(String status, String detail) {
        in("Outcome");
        md.append("**").append(status).append("** at ").append(at(clock.instant())).append(": ").append(oneLine(detail))
                .append('\n');
    }

    public String markdown() {
        return md.toString();
    }

    private void calls(List<CallRecord> calls) {
        if (calls.isEmpty()) {
            md.append("No API call.\n\n");
            return;
        }
        md.append("| API call | parameters | request id | result | ms |\n|---|---|---|---|---|\n");
        for (CallRecord c : calls) {
            md.append("| ").append(cell(c.api())).append(" | ").append(cell(c.parameters())).append(" | ")
                    .append(cell(c.requestId())).append(" | ").append(cell(c.result())).append(" | ")
                    .append(c.took().toMillis()).append(" |\n");
        }
        md.append('\n');
    }

    private static String cell(String text) {
        return oneLine(text).replace("|", "\\|");
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }

    /** The log's one form of a moment: UTC to the millisecond, as stored elsewhere; "unknown" for none. */
    private static String at(Instant instant) {
        return instant == null ? "unknown" : Timestamps.format(instant);
    }

    Instant now() {
        return clock.instant();
    }
}
