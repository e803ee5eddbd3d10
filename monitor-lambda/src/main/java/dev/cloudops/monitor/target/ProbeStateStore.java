package dev.cloudops.monitor.target;

import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Per-target probe state, kept across runs. Writes are conditional on the version read. */
public interface ProbeStateStore {

    /** The stored state of this target, read consistently, or empty before its first run. */
    Optional<ProbeState> find(URI url);

    /** The stored states of these targets, read consistently; targets never stored are left out. */
    default Map<URI, ProbeState> findAll(Collection<URI> urls) {
        Map<URI, ProbeState> found = new HashMap<>();
        for (URI url : urls) {
            find(url).ifPresent(state -> found.put(url, state));
        }
        return found;
    }

    /**
     * Stores {@code next} only if the stored state still has version {@code next.version() - 1} (or
     * none, for version 1).
     *
     * @return false when another run changed the state first; re-read and observe again
     */
    boolean save(ProbeState next);
}
