package dev.cloudops.monitor.target;

import java.net.URI;
import java.util.Optional;

/** Per-target probe state, kept across runs. Writes are conditional on the version read. */
public interface ProbeStateStore {

    /** The stored state of this target, read consistently, or empty before its first run. */
    Optional<ProbeState> find(URI url);

    /**
     * Stores {@code next} only if the stored state still has version {@code next.version() - 1} (or
     * none, for version 1).
     *
     * @return false when another run changed the state first; re-read and observe again
     */
    boolean save(ProbeState next);
}
