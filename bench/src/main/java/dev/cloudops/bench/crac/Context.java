package dev.cloudops.bench.crac;

import java.util.ArrayList;
import java.util.List;

/** The global context: the resources registered, and when their hooks last ran. */
public final class Context {

    private final List<Resource> resources = new ArrayList<>();
    private long checkpointNanos;
    private long restoreNanos;

    public synchronized void register(Resource resource) {
        resources.add(resource);
    }

    public synchronized int registered() {
        return resources.size();
    }

    /** How long the beforeCheckpoint hooks of the last {@link Core#checkpointRestore()} took. */
    public synchronized long checkpointNanos() {
        return checkpointNanos;
    }

    /** How long its afterRestore hooks took. */
    public synchronized long restoreNanos() {
        return restoreNanos;
    }

    synchronized void checkpointRestore() throws CheckpointException, RestoreException {
        long start = System.nanoTime();
        try {
            for (Resource r : resources.reversed()) {
                r.beforeCheckpoint(this);
            }
        } catch (Exception e) {
            CheckpointException failed = new CheckpointException();
            failed.addSuppressed(e);
            throw failed;
        }
        long checkpointed = System.nanoTime();
        try {
            for (Resource r : resources) {
                r.afterRestore(this);
            }
        } catch (Exception e) {
            RestoreException failed = new RestoreException();
            failed.addSuppressed(e);
            throw failed;
        }
        checkpointNanos = checkpointed - start;
        restoreNanos = System.nanoTime() - checkpointed;
    }
}
