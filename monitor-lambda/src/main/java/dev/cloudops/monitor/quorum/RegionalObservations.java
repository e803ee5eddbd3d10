package dev.cloudops.monitor.quorum;

import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * The latest observation of each target from each region, shared by the regions' monitors. Writes are
 * conditional on time: an observation never replaces a newer one of the same target and region.
 */
public interface RegionalObservations {

    /**
     * Stores {@code observation} as its region's latest for its target, unless one observed at the same instant
     * or later is already stored (a late or repeated write never hides a newer observation).
     *
     * @return false when an observation of this target and region at least as new was already stored
     */
    boolean record(RegionalObservation observation);

    /** The latest observation of {@code target} from each of {@code regions} that has one, read consistently. */
    List<RegionalObservation> latest(URI target, Collection<String> regions);
}
