package dev.cloudops.monitor;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.Severity;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.monitor.ProbeRound.Probed;
import dev.cloudops.monitor.ProbeStreaks.Mode;
import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.quorum.QuorumPolicy;
import dev.cloudops.monitor.quorum.RegionalObservations;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.Target;
import dev.cloudops.monitor.target.TargetDocument;
import dev.cloudops.monitor.target.TargetList;
import dev.cloudops.monitor.target.TargetProblem;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.trigger.Trigger;
import dev.cloudops.probe.ProbeRun;
import dev.cloudops.probe.ProbeRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection: probes the targets a trigger concerns, keeps each target's streak across runs, raises
 * one alert per fingerprint once a failure is confirmed (counting repeats on the open one), and
 * resolves open alerts when the target has recovered. Reports alerts raised, detection latency, closed
 * alerts that were false positives, and (per scheduled run) the alerts waiting for a decision.
 *
 * <p>This class handles the triggers (schedule, CloudWatch alarm, manual request): which targets each
 * concerns and how it weighs their results. The run itself is {@link ProbeRound}'s, the streaks
 * {@link ProbeStreaks}', the dedupe of alerts {@link OpenAlerts}', and the decision backlog
 * {@link UndecidedAlerts}'. A new alert is analysed and announced at once ({@link AlertAnnouncer}), or, with Step
 * Functions orchestration, handed to its workflow ({@link WorkflowStarts}), whose tasks are {@link #tasks()}.
 */
public final class DomainMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(DomainMonitor.class);
    private static final Actor MONITOR = Actor.system("monitor");

    private final TargetSource source;
    private final Severity manualSeverity;
    private final ProbeRound round;
    private final UndecidedAlerts undecided;
    private final Optional<WorkflowStarts> workflows;
    private final WorkflowTasks tasks;

    /** Where it keeps state: each target's streak, the open-alert claims, the alerts. */
    public record Stores(ProbeStateStore states, OpenAlertClaims claims, AlertRepository alerts) {
    }

    /** What a new alert goes through: the analysis, the announcements, alert ids, and the metrics. */
    public record Alerting(Investigator investigator, MonitorEvents events, Supplier<String> ids, Metrics metrics) {
    }

    /**
     * The severity of a manual request's alert, how long an alert's analysis may take before it is announced
     * without it, and how long an alert waits for a decision.
     */
    public record Policy(Severity manualSeverity, Duration analysisDeadline, Duration decisionWindow) {
    }

    /**
     * This monitor's seat in a multi-region quorum: the region it probes from, Q of N regions within the window,
     * where the regions share their latest observations, and how long a failure seen from too few regions must
     * last before it raises a LOW regional-reachability alert (empty: never).
     */
    public record Region(String name, QuorumPolicy policy, RegionalObservations observations,
            Optional<Duration> regionalAlertAfter) {
    }

    /** Direct orchestration: a new alert is analysed and announced in the invocation that raised it. */
    public DomainMonitor(TargetSource source, ProbeRunner runner, Stores stores, Alerting alerting, Policy policy,
            Clock clock) {
        this(source, runner, stores, alerting, policy, Optional.empty(), RegionalQuorum.off(), clock);
    }

    /**
     * Direct orchestration, probing as {@code region} of a multi-region quorum: a failure scheduled runs confirm
     * becomes an alert only when enough regions see it (with one region, as the constructor above).
     */
    public DomainMonitor(TargetSource source, ProbeRunner runner, Stores stores, Alerting alerting, Policy policy,
            Region region, Clock clock) {
        this(source, runner, stores, alerting, policy, Optional.empty(), RegionalQuorum.of(region.name(),
                region.policy(), region.observations(), region.regionalAlertAfter(), clock), clock);
    }

    /**
     * With {@code workflows}, Step Functions orchestration: a new alert stays DETECTED and its workflow is
     * started; the workflow calls {@link #tasks()} for the analysis and the announcement. With {@code quorum} on
     * (several probe regions), a confirmed failure becomes an alert only when enough regions see it.
     */
    DomainMonitor(TargetSource source, ProbeRunner runner, Stores stores, Alerting alerting, Policy policy,
            Optional<WorkflowStarts> workflows, RegionalQuorum quorum, Clock clock) {
        this.source = source;
        this.manualSeverity = policy.manualSeverity();
        this.workflows = workflows;
        NewAlertHandOff handOff = workflows.<NewAlertHandOff>map(w -> w).orElseGet(() -> new AlertAnnouncer(
                alerting.investigator(), alerting.events(), policy.analysisDeadline()));
        OpenAlerts openAlerts = new OpenAlerts(stores.claims(), stores.alerts(), handOff, alerting.events(),
                alerting.ids(), clock, alerting.metrics(), quorum.on());
        this.round = new ProbeRound(runner, new ProbeStreaks(stores.states(), clock), openAlerts, quorum,
                clock);
        this.undecided = new UndecidedAlerts(stores.alerts(), alerting.events(), clock, policy.decisionWindow(),
                alerting.metrics());
        this.tasks = new WorkflowTasks(stores.alerts(), alerting.investigator(), alerting.events(), undecided, round,
                clock);
    }

    /** The workflows' tasks, on the same stores, probe round and announcements as the triggers. */
    WorkflowTasks tasks() {
        return tasks;
    }

    /**
     * Handles one trigger before {@code deadline}: scheduled runs probe every target with thresholds;
     * alarms and manual requests probe their targets and act at once.
     *
     * @throws UnmappedAlarmException when an alarm concerns no configured target
     */
    public RunReport handle(Trigger trigger, Instant deadline) {
        TargetList list = TargetDocument.parse(source.read());
        List<String> problems = list.problems().stream().map(TargetProblem::toString).toList();
        if (!problems.isEmpty()) {
            LOG.warn("{} target entries in {} were left out: {}", problems.size(), source.describe(),
                    String.join(" | ", problems));
        }
        return switch (trigger) {
            case Trigger.Scheduled s -> {
                Probed probed = round.probe(list.targets(), Mode.THRESHOLDS, MONITOR, null, deadline);
                RunReport report = new RunReport("schedule", probed.targets(), problems, probed.load());
                undecided.expireUndecided(MONITOR);
                undecided.reportPending();
                workflows.ifPresent(WorkflowStarts::startMissing);
                yield report;
            }
            case Trigger.Alarm a -> alarm(a, list, deadline, problems);
            case Trigger.Manual m -> {
                Target target = list.find(m.url()).orElseGet(() -> Target.withDefaults(m.url(), manualSeverity));
                String who = m.requestedBy() == null || m.requestedBy().isBlank() ? "unknown requester" : m.requestedBy();
                Actor actor = new Actor(who, false, null, null);
                String reason = "manual request by " + who + (m.reason() == null ? "" : ": " + m.reason());
                Probed probed = round.probe(List.of(target), Mode.CONFIRMED, actor, reason, deadline);
                yield new RunReport("manual", probed.targets(), problems, probed.load());
            }
        };
    }

    private RunReport alarm(Trigger.Alarm alarm, TargetList list, Instant deadline, List<String> problems) {
        List<Target> mapped = list.targets().stream().filter(t -> maps(alarm, t)).toList();
        if (mapped.isEmpty()) {
            throw new UnmappedAlarmException(alarm.name(), alarm.dimensions());
        }
        String reason = "CloudWatch alarm " + alarm.name() + " is " + alarm.state()
                + (alarm.reason() == null ? "" : ": " + alarm.reason());
        if (alarm.state().equals("INSUFFICIENT_DATA")) {
            List<RunReport.TargetReport> ignored = mapped.stream().map(t -> new RunReport.TargetReport(
                    t.url().toString(), null, reason, RunReport.Action.IGNORED, List.of())).toList();
            return new RunReport("alarm", ignored, problems, ProbeRun.Load.NONE);
        }
        // ALARM confirms a failure the probe sees; OK confirms a recovery the probe sees.
        Actor actor = Actor.system("cloudwatch:" + alarm.name());
        Probed probed = round.probe(mapped, Mode.CONFIRMED, actor, reason, deadline);
        return new RunReport("alarm", probed.targets(), problems, probed.load());
    }

    private static boolean maps(Trigger.Alarm alarm, Target target) {
        if (target.alarmNames().contains(alarm.name())) {
            return true;
        }
        String host = target.url().getHost().toLowerCase(Locale.ROOT);
        String url = target.url().toString();
        return alarm.dimensions().values().stream().anyMatch(v -> v.equalsIgnoreCase(host) || v.equals(url));
    }
}
