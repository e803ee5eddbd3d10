package dev.cloudops.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.CloudopsException;
import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.logging.LogContext;
import dev.cloudops.monitor.ProbeStreaks.Mode;
import dev.cloudops.monitor.trigger.Task;
import dev.cloudops.runbook.AutoApproval;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's tasks in the Step Functions workflows (statemachines/*.asl.json): analyse, notify and
 * expire one alert, or probe one shard of the fleet. Each does what the direct path does at that step,
 * with the same code (the investigator, the announcements, the expiry, the probe round), and is idempotent:
 * Step Functions retries tasks, so a task on an alert already past its step answers the alert's state and
 * changes nothing.
 */
final class WorkflowTasks {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowTasks.class);
    private static final Actor MONITOR = Actor.system("monitor");
    private static final Actor WORKFLOW = Actor.system("alert-workflow");
    private static final Set<AuditAction> ANNOUNCEMENTS = EnumSet.of(AuditAction.NOTIFIED,
            AuditAction.NOTIFICATION_FAILED);
    private static final Set<RunReport.Action> FAILING = EnumSet.of(RunReport.Action.BELOW_THRESHOLD,
            RunReport.Action.REGIONAL, RunReport.Action.RAISED, RunReport.Action.COUNTED,
            RunReport.Action.RAISED_REGIONAL, RunReport.Action.COUNTED_REGIONAL);
    /** The actions whose alert has (or is about to have) a workflow. */
    private static final Set<RunReport.Action> ALERTING = EnumSet.of(RunReport.Action.RAISED,
            RunReport.Action.COUNTED, RunReport.Action.RAISED_REGIONAL, RunReport.Action.COUNTED_REGIONAL);

    /** A task's answer: the JSON object the state machine reads as {@code $.Payload}. */
    sealed interface Answer {
        ObjectNode toJson(ObjectMapper mapper);
    }

    /** The alert after analysis; how long its approval step may wait for people (at least 1 s). */
    record Analysed(String alertId, AlertState state, String planHash, long decisionTimeoutSeconds)
            implements Answer {
        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("alert_id", alertId);
            node.put("state", state.name());
            node.put("plan_hash", planHash);
            node.put("decision_timeout_seconds", decisionTimeoutSeconds);
            return node;
        }
    }

    /** What the announcement of the alert did. */
    record Notified(String alertId, String detail) implements Answer {
        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("alert_id", alertId);
            node.put("detail", detail);
            return node;
        }
    }

    /** The alert's state after the expiry. */
    /**
     * The alert after the expire task, with its plan hash: an alert people approved while the answer to the
     * approval task was lost is APPROVED here, and the workflow goes on to its pre-checks with this hash.
     */
    record Expired(String alertId, AlertState state, String planHash) implements Answer {
        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("alert_id", alertId);
            node.put("state", state.name());
            node.put("plan_hash", planHash);
            return node;
        }
    }

    /**
     * One shard: the targets whose probe finished, those failing, and the alerts their confirmed failures are
     * on (raised by this shard, or the open ones they counted on).
     */
    record ShardProbed(int probed, int failing, List<String> alerts) implements Answer {
        ShardProbed {
            alerts = List.copyOf(alerts);
        }

        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("probed", probed);
            node.put("failing", failing);
            alerts.forEach(node.putArray("alerts")::add);
            return node;
        }
    }

    private final AlertRepository alerts;
    private final Investigator investigator;
    private final MonitorEvents events;
    private final UndecidedAlerts undecided;
    private final ProbeRound round;
    private final Clock clock;

    WorkflowTasks(AlertRepository alerts, Investigator investigator, MonitorEvents events, UndecidedAlerts undecided,
            ProbeRound round, Clock clock) {
        this.alerts = alerts;
        this.investigator = investigator;
        this.events = events;
        this.undecided = undecided;
        this.round = round;
        this.clock = clock;
    }

    /**
     * Runs one task before {@code deadline} (which only a shard's probes heed).
     *
     * @throws CloudopsException when the task's alert does not exist; the analysis's own failures escape too,
     *     so that Step Functions retries the task
     */
    Answer run(Task task, Instant deadline) {
        return switch (task) {
            case Task.Analyse a -> analyse(a.alertId());
            case Task.Notify n -> notify(n.alertId());
            case Task.Expire e -> expire(e.alertId());
            case Task.ProbeShard s -> probeShard(s, deadline);
        };
    }

    private Analysed analyse(String alertId) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() == AlertState.DETECTED) {
                alert = investigator.investigate(alert);
            } else {
                LOG.info("analyse: the alert is {} already; nothing to do", alert.state());
            }
            long seconds = Duration.between(clock.instant(), undecided.decisionDeadline(alert)).toSeconds();
            return new Analysed(alertId, alert.state(), alert.planHash(), Math.max(1, seconds));
        }
    }

    private Notified notify(String alertId) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() != AlertState.PENDING_APPROVAL && !AutoApproval.approvedByItsRunbook(alert)) {
                return new Notified(alertId, "not announced: the alert is " + alert.state());
            }
            if (!announcements(alert).isEmpty()) {
                return new Notified(alertId, "announced already: " + String.join("; ", announcements(alert)));
            }
            events.raised(alert);
            List<String> sent = alerts.find(alertId).map(WorkflowTasks::announcements).orElse(List.of());
            return new Notified(alertId, sent.isEmpty() ? "announced in the log only (no channel is configured)"
                    : "announced: " + String.join("; ", sent));
        }
    }

    private Expired expire(String alertId) {
        try (var ignored = LogContext.alert(alertId)) {
            Alert alert = find(alertId);
            if (alert.state() == AlertState.PENDING_APPROVAL) {
                alert = undecided.expire(alert, WORKFLOW, clock.instant());
            } else {
                LOG.info("expire: the alert is {}; nothing to expire", alert.state());
            }
            return new Expired(alertId, alert.state(), alert.planHash());
        }
    }

    private ShardProbed probeShard(Task.ProbeShard shard, Instant deadline) {
        LOG.info("probing a shard of {} targets of the fleet run started at {}", shard.targets().size(),
                shard.runStartedAt());
        ProbeRound.Probed probed = round.probe(shard.targets(), Mode.THRESHOLDS, MONITOR, null, deadline);
        List<RunReport.TargetReport> reports = probed.targets();
        int finished = (int) reports.stream().filter(r -> r.action() != RunReport.Action.UNFINISHED).count();
        int failing = (int) reports.stream().filter(r -> FAILING.contains(r.action())).count();
        List<String> ids = reports.stream()
                .filter(r -> ALERTING.contains(r.action()))
                .flatMap(r -> r.alertIds().stream()).distinct().toList();
        return new ShardProbed(finished, failing, ids);
    }

    private Alert find(String alertId) {
        return alerts.find(alertId).orElseThrow(() -> new CloudopsException("no alert " + alertId));
    }

    /** The announcements recorded on the alert since its analysis (each channel's delivery or failure). */
    private static List<String> announcements(Alert alert) {
        Instant analysed = alert.audit().stream().filter(e -> e.action() == AuditAction.ANALYZED)
                .map(AuditEvent::at).reduce((first, last) -> last).orElse(alert.timestamp());
        return alert.audit().stream()
                .filter(e -> ANNOUNCEMENTS.contains(e.action()) && !e.at().isBefore(analysed))
                .map(AuditEvent::detail).toList();
    }
}
