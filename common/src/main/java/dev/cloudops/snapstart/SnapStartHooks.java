package dev.cloudops.snapstart;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.aws.DryRun;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's SnapStart runtime hooks (registered by its handler with {@code Core.getGlobalContext()}).
 * Before the snapshot it primes what a restored instance's first invocation would otherwise pay for,
 * without a network call or a change anywhere: it builds the parts wired {@link OnFirstUse}, dry-runs
 * every SDK client built ({@link DryRun}: nothing is sent), validates a sample plan (every function reads
 * plans) and runs the function's own warm-up (parsing a sample event, rendering a page...). After a
 * restore it makes what instances restored from one snapshot must not share their own: the randomness of
 * generated ids, and the credentials.
 */
public final class SnapStartHooks implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);

    private final AwsClients clients;
    private final List<OnFirstUse<?>> deferred;
    private final Runnable warmUp;
    private final List<SecureRandom> randomness;

    /**
     * @param warmUp local work only: no network call, no state change
     * @param randomness generators captured in the snapshot, reseeded after each restore
     */
    public SnapStartHooks(AwsClients clients, List<OnFirstUse<?>> deferred, Runnable warmUp,
            List<SecureRandom> randomness) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.deferred = List.copyOf(deferred);
        this.warmUp = Objects.requireNonNull(warmUp, "warmUp");
        this.randomness = List.copyOf(randomness);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        deferred.forEach(OnFirstUse::get);
        long built = System.nanoTime();
        clients.built().forEach(DryRun::of);
        long dryRuns = System.nanoTime();
        Samples.plan();
        warmUp.run();
        long end = System.nanoTime();
        LOG.info("SnapStart priming: deferred SDK clients built in {} ms ({}), dry runs of {} clients in {} ms, "
                        + "warm-up in {} ms", millis(start, built), deferred, clients.built().size(),
                millis(built, dryRuns), millis(dryRuns, end));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        byte[] seed = freshSeed();
        randomness.forEach(random -> random.setSeed(seed));
        clients.renewCredentials();
    }

    /**
     * Entropy read after the restore, mixed with this instance's clocks; {@link SecureRandom#setSeed} adds
     * it to a generator's state and never replaces what is there.
     */
    private static byte[] freshSeed() {
        byte[] fresh = new byte[32];
        try {
            SecureRandom.getInstance("NativePRNGNonBlocking").nextBytes(fresh);
        } catch (NoSuchAlgorithmException e) {
            new SecureRandom().nextBytes(fresh); // not Linux: the platform's default source
        }
        return ByteBuffer.allocate(fresh.length + 16).put(fresh).putLong(System.nanoTime())
                .putLong(System.currentTimeMillis()).array();
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    @Override
    public String toString() {
        return "SnapStartHooks" + deferred;
    }
}
