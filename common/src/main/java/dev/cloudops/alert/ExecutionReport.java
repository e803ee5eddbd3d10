package dev.cloudops.alert;

import dev.cloudops.time.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** How an execution ended: its outcome (COMPLETED, FAILED or ROLLED_BACK), when it ran and where its log is. */
public record ExecutionReport(
        ExecutionStatus outcome, Instant startedAt, Instant finishedAt, String logUrl, String detail) {

    public ExecutionReport {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == ExecutionStatus.NOT_STARTED || outcome == ExecutionStatus.EXECUTING) {
            throw new IllegalArgumentException("an execution cannot finish as " + outcome);
        }
        startedAt = Timestamps.stored(Objects.requireNonNull(startedAt, "startedAt"));
        finishedAt = Timestamps.stored(Objects.requireNonNull(finishedAt, "finishedAt"));
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("an execution cannot finish before it starts");
        }
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
