package dev.cloudops.monitor;

import static dev.cloudops.monitor.ConditionalWrites.ATTEMPTS;
import static dev.cloudops.monitor.ConditionalWrites.backOff;

import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.Severity;
import dev.cloudops.metrics.Metrics;
import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.probe.ProbeOutcome;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeRun;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.Target;
import dev.cloudops.monitor.target.TargetDocument;
import dev.cloudops.monitor.target.TargetList;
import dev.cloudops.monitor.target.TargetProblem;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.trigger.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection: probes the targets a trigger concerns, keeps each target's streak across runs, raises
 * one alert per fingerprint once a failure is confirmed (counting repeats on the open one), and
 * resolves open alerts when the target has recovered. Reports alerts raised, detection latency, closed
 * alerts that were false positives, and (per scheduled run) the alerts waiting for a decision.
 */
public final class DomainMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(DomainMonitor.class);
    private static final Actor MONITOR = Actor.system("monitor");
    /** Targets whose new state is stored at once after a run (each a conditional write). */
    private static final int PARALLEL_SAVES = 16;

    /** How a trigger weighs a result: by the target's thresholds, or as confirmed at once. */
    private enum Mode { THRESHOLDS, CONFIRMED }

    private final TargetSource source;
    private final ProbeRunner runner;
    private final ProbeStateStore states;
    private final OpenAlerts openAlerts;
    private final Clock clock;
    private final Severity manualSeverity;
    private final UndecidedAlerts undecided;

    public DomainMonitor(TargetSource source, ProbeRunner runner, ProbeStateStore states, OpenAlertClaims claims,
            AlertRepository alerts, Investigator investigator, MonitorEvents events, Supplier<String> ids, Clock clock,
            Severity manualSeverity, Duration analysisDeadline, Duration decisionWindow, Metrics metrics) {
        this.source = source;
        this.runner = runner;
        this.states = states;
        this.clock = clock;
        this.manualSeverity = manualSeverity;
        AlertAnnouncer announcer = new AlertAnnouncer(investigator, events, analysisDeadline);
        this.openAlerts = new OpenAlerts(claims, alerts, announcer, events, ids, clock, metrics);
        this.undecided = new UndecidedAlerts(alerts, events, clock, decisionWindow, metrics);
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
                Probed probed = probe(list.targets(), Mode.THRESHOLDS, MONITOR, null, deadline);
                RunReport report = new RunReport("schedule", probed.targets(), problems, probed.load());
                undecided.expireUndecided(MONITOR);
                undecided.reportPending();
                yield report;
            }
            case Trigger.Alarm a -> alarm(a, list, deadline, problems);
            case Trigger.Manual m -> {
                Target target = list.find(m.url()).orElseGet(() -> Target.withDefaults(m.url(), manualSeverity));
                String who = m.requestedBy() == null || m.requestedBy().isBlank() ? "unknown requester" : m.requestedBy();
                Actor actor = new Actor(who, false, null, null);
                String reason = "manual request by " + who + (m.reason() == null ? "" : ": " + m.reason());
                Probed probed = probe(List.of(target), Mode.CONFIRMED, actor, reason, deadline);
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
        Probed probed = probe(mapped, Mode.CONFIRMED, actor, reason, deadline);
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

    /** The targets' reports of one probe run, and the prober's own load in it. */
    private record Probed(List<RunReport.TargetReport> targets, ProbeRun.Load load) {
    }

    private Probed probe(List<Target> targets, Mode mode, Actor actor, String reason, Instant deadline) {
        Optional<Map<URI, ProbeState>> known = knownStates(targets);
        known.ifPresent(states -> runner.recall(states.values().stream().filter(s -> s.lastDuration() != null)
                .collect(Collectors.toMap(ProbeState::url, ProbeState::lastDuration))));
        ProbeRun run = runner.run(targets.stream().map(Target::probeSpec).toList(), deadline);
        List<ProbeOutcome> outcomes = run.outcomes();
        if (!run.load().rechecked().isEmpty()) {
            LOG.info("{} results re-checked after the run: {}", run.load().rechecked().size(),
                    String.join(" | ", run.load().rechecked()));
        }
        List<Observed> observed = observeAll(targets, outcomes, mode, known);
        List<RunReport.TargetReport> reports = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            Observed seen = observed.get(i);
            reports.add(switch (outcomes.get(i)) {
                case ProbeOutcome.Finished f -> act(target, f.result(), seen, actor, reason);
                case ProbeOutcome.Unfinished u -> {
                    LOG.warn("target {} was not probed in time: {}", u.url(), u.reason());
                    yield new RunReport.TargetReport(u.url().toString(), null, u.reason(),
                            RunReport.Action.UNFINISHED, List.of());
                }
            });
        }
        return new Probed(reports, run.load());
    }

    /**
     * The stored states of the targets, read in one go before the run: they tell a new container how
     * long each target took last time, and save each target a read after the run. Empty when they
     * cannot be read; then each target reads its own after the run.
     */
    private Optional<Map<URI, ProbeState>> knownStates(List<Target> targets) {
        try {
            return Optional.of(states.findAll(targets.stream().map(Target::url).toList()));
        } catch (RuntimeException e) {
            LOG.warn("probe states could not be read before the run ({}); reading them one by one after it",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Counts every finished result into its target's stored streak, several targets at once. */
    private List<Observed> observeAll(List<Target> targets, List<ProbeOutcome> outcomes, Mode mode,
            Optional<Map<URI, ProbeState>> known) {
        Semaphore saving = new Semaphore(PARALLEL_SAVES);
        List<Future<Observed>> futures = new ArrayList<>(targets.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get(i);
                if (!(outcomes.get(i) instanceof ProbeOutcome.Finished finished)) {
                    futures.add(CompletableFuture.completedFuture(null));
                    continue;
                }
                ProbeState read = known.map(m -> m.getOrDefault(target.url(), ProbeState.initial(target.url())))
                        .orElse(null);
                futures.add(pool.submit(() -> {
                    saving.acquire();
                    try {
                        return observe(target, finished.result(), mode, clock.instant(), read);
                    } finally {
                        saving.release();
                    }
                }));
            }
        }
        List<Observed> observed = new ArrayList<>(futures.size());
        for (Future<Observed> future : futures) {
            switch (future.state()) {
                case SUCCESS -> observed.add(future.resultNow());
                case FAILED -> {
                    if (future.exceptionNow() instanceof RuntimeException e) {
                        throw e;
                    }
                    throw new CloudopsException("storing a probe state failed", future.exceptionNow());
                }
                default -> throw new CloudopsException("storing the probe states was interrupted");
            }
        }
        return observed;
    }

    private RunReport.TargetReport act(Target target, ProbeResult result, Observed observed, Actor actor,
            String reason) {
        Instant now = clock.instant();
        RunReport.Action action = RunReport.Action.NONE;
        List<String> alertIds = List.of();
        if (observed.raise()) {
            Instant streakStart = observed.state().lastChangeAt() == null ? now : observed.state().lastChangeAt();
            OpenAlerts.Raised raised = openAlerts.raiseOrCount(target, result, actor, reason, now, streakStart);
            action = raised.created() ? RunReport.Action.RAISED : RunReport.Action.COUNTED;
            alertIds = List.of(raised.alert().alertId());
        } else if (observed.recover()) {
            alertIds = openAlerts.recover(target, result, actor, now);
            action = RunReport.Action.RECOVERED;
        } else if (!result.healthy()) {
            action = RunReport.Action.BELOW_THRESHOLD;
        }
        return new RunReport.TargetReport(target.url().toString(), result.classification().name(), result.details(),
                action, alertIds);
    }

    /** The streak as stored after this result, and what it calls for. */
    private record Observed(ProbeState state, boolean raise, boolean recover) {
    }

    /**
     * Counts this result into the target's stored streak, starting from {@code read} (the state read
     * before the run, or null to read it now) and re-reading when an overlapping run wrote first.
     */
    private Observed observe(Target target, ProbeResult result, Mode mode, Instant now, ProbeState read) {
        ProbeState before = read;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ProbeState current = before != null ? before
                    : states.find(target.url()).orElseGet(() -> ProbeState.initial(target.url()));
            before = null;
            ProbeState next = current.observe(result, now);
            boolean raise = !result.healthy()
                    && (mode == Mode.CONFIRMED || next.consecutiveFailures() >= target.failuresBeforeAlert());
            boolean recover = result.healthy() && current.alerting()
                    && (mode == Mode.CONFIRMED || next.consecutiveSuccesses() >= target.successesBeforeRecovery());
            if (raise) {
                next = next.withAlerting(true);
            } else if (recover) {
                next = next.withAlerting(false);
            }
            if (states.save(next)) {
                return new Observed(next, raise, recover);
            }
            backOff(attempt);
        }
        throw new CloudopsException("the probe state of " + target.url() + " kept changing under concurrent runs; "
                + "gave up after " + ATTEMPTS + " attempts");
    }
}
