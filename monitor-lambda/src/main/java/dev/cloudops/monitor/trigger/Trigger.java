package dev.cloudops.monitor.trigger;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** Why the monitor runs: its schedule, a CloudWatch alarm changing state, or a person asking. */
public sealed interface Trigger {

    /** The EventBridge schedule: probe every target, thresholds apply. */
    record Scheduled(Instant time) implements Trigger {
    }

    /** A CloudWatch alarm's state change, delivered through SNS. */
    record Alarm(String name, String state, String reason, Map<String, String> dimensions) implements Trigger {
        public Alarm {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            dimensions = Map.copyOf(dimensions);
        }
    }

    /** Someone asked for one URL to be investigated now; thresholds do not apply. */
    record Manual(URI url, String reason, String requestedBy) implements Trigger {
        public Manual {
            Objects.requireNonNull(url, "url");
        }
    }
}
