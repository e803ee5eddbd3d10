package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidenceStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The items of one evidence pack as they are read: numbered in reading order, stamped with the clock, and a
 * failed AWS call turned into an item of its own, so every reader records what it saw and what it could
 * not see the same way.
 */
final class EvidenceReads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final List<EvidenceItem> items = new ArrayList<>();
    private boolean failedLast;

    EvidenceReads(Clock clock) {
        this.clock = clock;
    }

    /** A new, empty object for an item's data. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    List<EvidenceItem> items() {
        return items;
    }

    boolean failedLast() {
        return failedLast;
    }

    void add(String source, String subject, EvidenceStatus status, String summary, ObjectNode data) {
        items.add(new EvidenceItem("E" + (items.size() + 1), source, subject, clock.instant(), status, summary,
                data));
    }

    /**
     * Runs one read. With {@code describe}, a present result becomes an item; without, the caller adds
     * it. A failed call always becomes an item, and returns empty.
     */
    <T> Optional<T> read(String source, String subject, Call<Optional<T>> call, Function<T, Observed> describe) {
        failedLast = false;
        try {
            Optional<T> result = call.run();
            if (describe != null && result.isPresent()) {
                Observed observed = describe.apply(result.get());
                add(source, subject, observed.status(), observed.summary(), observed.data());
            }
            return result;
        } catch (SdkException e) {
            failedLast = true;
            EvidenceStatus status = AwsErrors.statusOf(e);
            if (status == EvidenceStatus.NOT_FOUND && source.startsWith("s3:Get")) {
                // "NoSuchWebsiteConfiguration" and friends: the absence is the fact.
                add(source, subject, EvidenceStatus.NOT_FOUND, subject + ": " + AwsErrors.errorCode(e), null);
            } else {
                add(source, subject, status, source + " failed: " + AwsErrors.errorCode(e)
                        + (e.getMessage() == null ? "" : " (" + AwsErrors.firstLine(e.getMessage()) + ")"), null);
            }
            return Optional.empty();
        }
    }

    /** What one read showed, before it gets an id. */
    record Observed(EvidenceStatus status, String summary, ObjectNode data) {
    }

    /** One AWS call. */
    @FunctionalInterface
    interface Call<T> {
        T run();
    }
}
