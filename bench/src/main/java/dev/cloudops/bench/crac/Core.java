package dev.cloudops.bench.crac;

/**
 * Stands in for the Lambda runtime's own CRaC implementation in {@code InitTimer}'s JVM (which has none):
 * org.crac finds this package through the system property {@code org.crac.Core.Compat}, so a handler's
 * {@code Core.getGlobalContext().register(...)} lands here, and {@link #checkpointRestore()} runs the
 * registered hooks as Lambda does around a snapshot, without taking one.
 */
public final class Core {

    private static final Context GLOBAL = new Context();

    private Core() {
    }

    public static Context getGlobalContext() {
        return GLOBAL;
    }

    /** Every beforeCheckpoint (in the reverse order of registration), then every afterRestore (in order). */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        GLOBAL.checkpointRestore();
    }
}
