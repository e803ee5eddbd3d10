package dev.cloudops.monitor;

import static dev.cloudops.monitor.ConditionalWrites.ATTEMPTS;
import static dev.cloudops.monitor.ConditionalWrites.backOff;

import dev.cloudops.CloudopsException;
import dev.cloudops.monitor.target.ProbeState;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.Target;
import dev.cloudops.probe.ProbeOutcome;
import dev.cloudops.probe.ProbeResult;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each target's stored streak of consecutive failures and successes across runs, and decides from
 * the target's thresholds whether a result confirms a failure or a recovery. Separate from the run so
 * that the threshold rules and the concurrent-write handling of probe states change in one place.
 */
final class ProbeStreaks {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeStreaks.class);
    /** Targets whose new state is stored at once after a run (each a conditional write). */
    private static final int PARALLEL_SAVES = 16;

    /** How a trigger weighs a result: by the target's thresholds, or as confirmed at once. */
    enum Mode { THRESHOLDS, CONFIRMED }

    /** The streak as stored after this result, and what it calls for. */
    record Observed(ProbeState state, boolean raise, boolean recover) {
    }

    private final ProbeStateStore states;
    private final Clock clock;

    ProbeStreaks(ProbeStateStore states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    /**
     * The stored states of the targets, read in one go before the run: they tell a new container how
     * long each target took last time, and save each target a read after the run. Empty when they
     * cannot be read; then each target reads its own after the run.
     */
    Optional<Map<URI, ProbeState>> knownStates(List<Target> targets) {
        try {
            return Optional.of(states.findAll(targets.stream().map(Target::url).toList()));
        } catch (RuntimeException e) {
            LOG.warn("probe states could not be read before the run ({}); reading them one by one after it",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Counts every finished result into its target's stored streak, several targets at once; the list
     * holds null for each target that did not finish.
     */
    List<Observed> observeAll(List<Target> targets, List<ProbeOutcome> outcomes, Mode mode,
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
