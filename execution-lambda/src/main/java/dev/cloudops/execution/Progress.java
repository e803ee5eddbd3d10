package dev.cloudops.execution;

import dev.cloudops.execution.action.AppliedStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One execution's changes so far, and its time. The runner adds each change AWS accepted the moment it is
 * accepted; the executor rolls back from here whatever stops the run (a failed step, a store error, a bug,
 * Lambda's clock). No step starts with less time left than the reserve a rollback and the record need.
 */
public final class Progress {

    private final List<AppliedStep> applied = new ArrayList<>();
    private final Supplier<Duration> remaining;
    private final Duration reserve;
    private final Consumer<AppliedStep> journal;

    /**
     * {@code remaining}: the invocation's time left (Lambda's context); {@code reserve}: what is kept back;
     * {@code journal}: where each change is written down durably as it is accepted, so that a run cut short
     * can still be rolled back by a later one.
     */
    public Progress(Supplier<Duration> remaining, Duration reserve, Consumer<AppliedStep> journal) {
        this.remaining = remaining;
        this.reserve = reserve;
        this.journal = journal;
    }

    /** No time limit and no journal: for runs that are not Lambda invocations, and tests. */
    public static Progress unbounded() {
        return new Progress(() -> Duration.ofDays(1), Duration.ZERO, step -> { });
    }

    /** Records a change AWS accepted, then journals it (a journal failure leaves it recorded here). */
    public void applied(AppliedStep step) {
        synchronized (this) {
            applied.add(step);
        }
        journal.accept(step);
    }

    /** What was changed, in order. */
    public synchronized List<AppliedStep> applied() {
        return List.copyOf(applied);
    }

    /** Why nothing more may start: the time left is within the reserve. Empty while there is time. */
    public Optional<String> outOfTime() {
        Duration left = remaining.get();
        if (left.compareTo(reserve) > 0) {
            return Optional.empty();
        }
        return Optional.of("only " + left.toSeconds() + " s of the invocation's time were left, and "
                + reserve.toSeconds() + " s are kept to roll back and record the outcome");
    }

    /** The time left beyond the reserve (zero when within it). */
    public Duration spare() {
        Duration spare = remaining.get().minus(reserve);
        return spare.isNegative() ? Duration.ZERO : spare;
    }
}
