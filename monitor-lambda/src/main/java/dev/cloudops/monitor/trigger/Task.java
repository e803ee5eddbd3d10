package dev.cloudops.monitor.trigger;

import dev.cloudops.monitor.target.Target;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One task of a Step Functions workflow ({@code {"cloudops_task": ...}}, statemachines/*.asl.json): a step of an
 * alert's workflow, or one shard of the fleet's probing.
 */
public sealed interface Task {

    /** The task's name in the event's {@code cloudops_task}. */
    String name();

    /** Analyse a DETECTED alert and move it to PENDING_APPROVAL. */
    record Analyse(String alertId) implements Task {
        public Analyse {
            Objects.requireNonNull(alertId, "alertId");
        }

        @Override
        public String name() {
            return "analyse";
        }
    }

    /** Announce an analysed alert, with its review links. */
    record Notify(String alertId) implements Task {
        public Notify {
            Objects.requireNonNull(alertId, "alertId");
        }

        @Override
        public String name() {
            return "notify";
        }
    }

    /** Nobody decided within the window: expire the alert if it still waits. */
    record Expire(String alertId) implements Task {
        public Expire {
            Objects.requireNonNull(alertId, "alertId");
        }

        @Override
        public String name() {
            return "expire";
        }
    }

    /** Probe one shard of the fleet's targets (a batch of the probe-fleet map), as a scheduled run does. */
    record ProbeShard(List<Target> targets, Instant runStartedAt) implements Task {
        public ProbeShard {
            targets = List.copyOf(targets);
            Objects.requireNonNull(runStartedAt, "runStartedAt");
        }

        @Override
        public String name() {
            return "probe_shard";
        }
    }
}
