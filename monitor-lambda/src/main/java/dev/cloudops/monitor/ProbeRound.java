package dev.cloudops.monitor;

import dev.cloudops.alert.Actor;
import dev.cloudops.monitor.quorum.Quorum;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.Target;
import dev.cloudops.probe.ProbeOutcome;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeRun;
import dev.cloudops.probe.ProbeRunner;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe run over some targets: probes them before the deadline, counts each result into its streak,
 * and turns what the streak calls for into an action per target (raise or count, recover, or nothing). With
 * several probe regions, a confirmed failure is raised only when the regions' quorum agrees ({@link RegionalQuorum}).
 * Separate from the triggers so that how a run proceeds changes without touching who asked for it.
 */
final class ProbeRound {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRound.class);

    /** The targets' reports of one probe run, and the prober's own load in it. */
    record Probed(List<RunReport.TargetReport> targets, ProbeRun.Load load) {
    }

    private final ProbeRunner runner;
    private final ProbeStreaks streaks;
    private final OpenAlerts openAlerts;
    private final RegionalQuorum quorum;
    private final Clock clock;

    ProbeRound(ProbeRunner runner, ProbeStreaks streaks, OpenAlerts openAlerts, RegionalQuorum quorum, Clock clock) {
        this.runner = runner;
        this.streaks = streaks;
        this.openAlerts = openAlerts;
        this.quorum = quorum;
        this.clock = clock;
    }

    /** Probes {@code targets}, weighing results by {@code mode}; alerts are raised and resolved as {@code actor}. */
    Probed probe(List<Target> targets, ProbeStreaks.Mode mode, Actor actor, String reason, Instant deadline) {
        Optional<Map<URI, ProbeState>> known = streaks.knownStates(targets);
        known.ifPresent(states -> runner.recall(states.values().stream().filter(s -> s.lastDuration() != null)
                .collect(Collectors.toMap(ProbeState::url, ProbeState::lastDuration))));
        ProbeRun run = runner.run(targets.stream().map(Target::probeSpec).toList(), deadline);
        List<ProbeOutcome> outcomes = run.outcomes();
        if (!run.load().rechecked().isEmpty()) {
            LOG.info("{} results re-checked after the run: {}", run.load().rechecked().size(),
                    String.join(" | ", run.load().rechecked()));
        }
        List<ProbeStreaks.Observed> observed = streaks.observeAll(targets, outcomes, mode, known);
        quorum.recordAll(outcomes);
        List<RunReport.TargetReport> reports = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            ProbeStreaks.Observed seen = observed.get(i);
            reports.add(switch (outcomes.get(i)) {
                case ProbeOutcome.Finished f -> act(target, f.result(), seen, mode, actor, reason);
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
     * What one target's result calls for. Only scheduled runs ({@link ProbeStreaks.Mode#THRESHOLDS}) ask the quorum:
     * an alarm or a manual request is itself a signal from outside this region's probe, so what it confirms is
     * raised at once, as with one region (its observation still counts for the scheduled runs of every region).
     */
    private RunReport.TargetReport act(Target target, ProbeResult result, ProbeStreaks.Observed observed,
            ProbeStreaks.Mode mode, Actor actor, String reason) {
        Instant now = clock.instant();
        RunReport.Action action = RunReport.Action.NONE;
        List<String> alertIds = List.of();
        String details = result.details();
        Instant streakStart = observed.state().lastChangeAt() == null ? now : observed.state().lastChangeAt();
        Quorum.Verdict verdict = observed.raise() && quorum.on() && mode == ProbeStreaks.Mode.THRESHOLDS
                ? quorum.evaluate(target.url()) : null;
        if (verdict instanceof Quorum.Verdict.Regional regional) {
            LOG.info("{} failing ({}) from too few regions for an alert: {}", target.url(), result.classification(),
                    quorum.regional(regional));
            action = RunReport.Action.REGIONAL;
            details = quorum.regional(regional) + ": " + details;
            if (quorum.persistent(streakStart)) {
                OpenAlerts.Raised raised = openAlerts.raiseOrCountRegional(target, result,
                        quorum.reachability(regional, streakStart, result.details()), actor, now, streakStart);
                action = raised.created() ? RunReport.Action.RAISED_REGIONAL : RunReport.Action.COUNTED_REGIONAL;
                alertIds = List.of(raised.alert().alertId());
            }
        } else if (observed.raise()) {
            // Failing by quorum, or confirmed by this region alone (the quorum is off, or an alarm or a person asked).
            OpenAlerts.Raised raised = openAlerts.raiseOrCount(target, result, actor, reason, now, streakStart);
            action = raised.created() ? RunReport.Action.RAISED : RunReport.Action.COUNTED;
            alertIds = List.of(raised.alert().alertId());
            if (raised.shortfall() != null) {
                details = details + " (" + raised.shortfall() + ")";
            }
        } else if (observed.recover()) {
            alertIds = openAlerts.recover(target, result, actor, now);
            action = RunReport.Action.RECOVERED;
        } else if (!result.healthy()) {
            action = RunReport.Action.BELOW_THRESHOLD;
        }
        return new RunReport.TargetReport(target.url().toString(), result.classification().name(), details,
                action, alertIds);
    }
}
