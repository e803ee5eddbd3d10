package dev.cloudops.bench.crac;

/** A beforeCheckpoint hook failed (it is suppressed here). */
public final class CheckpointException extends Exception {
}
