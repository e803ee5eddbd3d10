package dev.cloudops.execution.precheck;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Facts read again from where an evidence item came from, for preconditions about something other than
 * the resource a step changes (a Route 53 step that depends on an ACM certificate's validation status).
 */
public interface EvidenceFacts {

    /** The current facts for the evidence item (its {@code source} and {@code subject}); empty when none apply. */
    Map<String, String> read(JsonNode evidenceItem);

    EvidenceFacts NONE = item -> Map.of();
}
