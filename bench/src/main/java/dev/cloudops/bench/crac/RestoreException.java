package dev.cloudops.bench.crac;

/** An afterRestore hook failed (it is suppressed here). */
public final class RestoreException extends Exception {
}
