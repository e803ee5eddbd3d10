package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.aws.EvidenceReads.Observed;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;

/**
 * Records the CloudTrail write events on one resource in the lookback window, because a recent change by
 * someone is often what broke the site.
 */
final class RecentChangesReader {

    private final CloudTrailClient cloudTrail;
    private final Duration lookback;

    RecentChangesReader(CloudTrailClient cloudTrail, Duration lookback) {
        this.cloudTrail = cloudTrail;
        this.lookback = lookback;
    }

    /** Records the write events on {@code resource} in the lookback window ending at {@code now}. */
    void read(EvidenceReads reads, String resource, Instant now) {
        Instant since = now.minus(lookback);
        reads.read("cloudtrail:LookupEvents", resource, () -> Optional.of(cloudTrail.lookupEvents(b -> b
                        .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(resource))
                        .startTime(since).endTime(now).maxResults(50)).events().stream()
                        .filter(e -> "false".equalsIgnoreCase(e.readOnly()))
                        .toList()),
                events -> {
                    ObjectNode data = EvidenceReads.object();
                    ArrayNode list = data.putArray("events");
                    for (Event e : events) {
                        ObjectNode node = list.addObject();
                        node.put("time", String.valueOf(e.eventTime()));
                        node.put("name", e.eventName());
                        node.put("user", e.username());
                        node.put("source", e.eventSource());
                        node.put("event_id", e.eventId());
                    }
                    String summary = events.isEmpty()
                            ? "no write events on " + resource + " in the last " + lookback.toHours() + " h"
                            : events.size() + (events.size() == 1 ? " write event on " : " write events on ") + resource
                                    + " in the last " + lookback.toHours()
                                    + " h: " + events.stream().map(e -> e.eventName() + " by " + e.username() + " at "
                                    + e.eventTime()).toList();
                    return new Observed(EvidenceStatus.OK, summary, data);
                });
    }
}
