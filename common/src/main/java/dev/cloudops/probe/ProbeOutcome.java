package dev.cloudops.probe;

import java.net.URI;

/** One target's fate in a run: probed, or not finished within the run's time budget. */
public sealed interface ProbeOutcome {

    URI url();

    record Finished(ProbeResult result) implements ProbeOutcome {
        @Override
        public URI url() {
            return result.url();
        }
    }

    /** The probe did not finish before the run's deadline; the target is neither up nor down this run. */
    record Unfinished(URI url, String reason) implements ProbeOutcome {
    }
}
