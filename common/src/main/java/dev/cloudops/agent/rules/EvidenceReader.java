package dev.cloudops.agent.rules;

import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.evidence.EvidenceStatus;
import java.util.Optional;

/**
 * Reads evidence items by source, so that every rule asks the same two questions of the pack: what was read
 * successfully, and what was attempted at all (whatever its status).
 */
record EvidenceReader(EvidencePack pack) {

    /** The first item from {@code source} that was read successfully. */
    Optional<EvidenceItem> ok(String source) {
        return pack.items().stream().filter(i -> i.source().equals(source) && i.status() == EvidenceStatus.OK)
                .findFirst();
    }

    /** The item from {@code source}, whatever its status (NOT_FOUND is evidence too). */
    Optional<EvidenceItem> any(String source) {
        return pack.bySource(source);
    }
}
