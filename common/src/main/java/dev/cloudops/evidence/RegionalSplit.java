package dev.cloudops.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.json.Json;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How each probe region saw a target when its alert was analysed (multi-region quorum): per region, failing at a
 * layer, healthy, or silent (no observation within the quorum window). Carried in the evidence pack as the item
 * whose source is {@value #SOURCE}, so the rule engine, the agent's prompt and the review page read the same facts.
 *
 * @param required how many regions must see a failure for it to be an alert (Q of the {@link #regions()})
 */
public record RegionalSplit(String target, int required, List<RegionResult> regions) {

    /** The evidence item's source: not an AWS call, the probe regions' latest observations. */
    public static final String SOURCE = "probe:Regions";

    /** What one region's latest observation in the window says. */
    public enum Seen { FAILING, HEALTHY, SILENT }

    /**
     * One region's part: its failing layer and classification when failing, how long its probe took and when it
     * observed (absent when silent).
     */
    public record RegionResult(String region, Seen seen, Layer layer, Classification classification, Long latencyMs,
            Instant observedAt) {

        public RegionResult {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(seen, "seen");
            if ((seen == Seen.FAILING) != (layer != null)) {
                throw new IllegalArgumentException("a failing region names its failing layer, the others none: "
                        + region + " " + seen + " " + layer);
            }
            observedAt = Timestamps.stored(observedAt);
        }

        public static RegionResult silent(String region) {
            return new RegionResult(region, Seen.SILENT, null, null, null, null);
        }

        /** How this region's probe fared at {@code at}: ok, failing, not reached (after the failing one) or unknown. */
        public String at(Layer at) {
            return switch (seen) {
                case SILENT -> "no result";
                case HEALTHY -> "ok";
                case FAILING -> at.ordinal() < layer.ordinal() ? "ok"
                        : at == layer ? "failing: " + classification : "not reached";
            };
        }
    }

    public RegionalSplit {
        Objects.requireNonNull(target, "target");
        regions = List.copyOf(regions);
        if (required < 1 || required > Math.max(1, regions.size())) {
            throw new IllegalArgumentException("the quorum must be 1 to " + regions.size() + ", was " + required);
        }
    }

    public List<String> failing() {
        return names(Seen.FAILING);
    }

    public List<String> healthy() {
        return names(Seen.HEALTHY);
    }

    public List<String> silent() {
        return names(Seen.SILENT);
    }

    /** At least Q regions saw the failure: an alert by quorum. */
    public boolean quorumMet() {
        return failing().size() >= required;
    }

    /** Some regions see the target failing while others reach it: the path to it, not the site, is suspect. */
    public boolean partial() {
        return !failing().isEmpty() && !healthy().isEmpty();
    }

    /** Every region that reported saw it failing, and more than one reported. */
    public boolean failingEverywhereHeard() {
        return healthy().isEmpty() && failing().size() > 1;
    }

    /** The layers the failing regions failed at, in probe order, each once. */
    public List<Layer> failingLayers() {
        return regions.stream().filter(r -> r.seen() == Seen.FAILING).map(RegionResult::layer).distinct().sorted()
                .toList();
    }

    /** One line for people: which regions fail at which layer, which reach it, which are silent. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (RegionResult r : regions) {
            if (r.seen() == Seen.FAILING) {
                parts.add(r.region() + ": " + r.classification() + " at " + r.layer());
            }
        }
        if (!healthy().isEmpty()) {
            parts.add("healthy from " + String.join(", ", healthy()));
        }
        if (!silent().isEmpty()) {
            parts.add("silent: " + String.join(", ", silent()));
        }
        return failing().size() + " of " + regions.size() + " regions see " + target + " failing ("
                + required + " needed for an alert); " + String.join("; ", parts);
    }

    /** The evidence item {@code id} carrying this split, read at {@code at}. */
    public EvidenceItem toItem(String id, Instant at) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("target", target);
        data.put("required", required);
        ArrayNode list = data.putArray("regions");
        for (RegionResult r : regions) {
            ObjectNode node = list.addObject();
            node.put("region", r.region());
            node.put("seen", r.seen().name().toLowerCase(Locale.ROOT));
            if (r.layer() != null) {
                node.put("layer", r.layer().name());
            }
            if (r.classification() != null) {
                node.put("classification", r.classification().name());
            }
            if (r.latencyMs() != null) {
                node.put("latency_ms", r.latencyMs());
            }
            if (r.observedAt() != null) {
                node.put("observed_at", Timestamps.format(r.observedAt()));
            }
        }
        return new EvidenceItem(id, SOURCE, target, at, EvidenceStatus.OK, summary(), data);
    }

    /** {@code pack} with this split appended as its next item. */
    public EvidencePack addTo(EvidencePack pack) {
        List<EvidenceItem> items = new ArrayList<>(pack.items());
        items.add(toItem("E" + (items.size() + 1), pack.collectedAt()));
        return new EvidencePack(pack.alertId(), pack.host(), pack.collectedAt(), items);
    }

    /** The split in {@code pack}, if its analysis had several probe regions. */
    public static Optional<RegionalSplit> in(EvidencePack pack) {
        return pack.bySource(SOURCE).filter(i -> i.status() == EvidenceStatus.OK).flatMap(i -> fromData(i.data()));
    }

    /**
     * The split an item's data holds, as {@link #toItem} writes it; empty when the data is not such a split (an
     * archived or hand-edited pack is read, never trusted to be well formed).
     */
    public static Optional<RegionalSplit> fromData(JsonNode data) {
        if (data == null || !data.path("target").isTextual() || !data.path("required").canConvertToInt()
                || !data.path("regions").isArray()) {
            return Optional.empty();
        }
        try {
            List<RegionResult> regions = new ArrayList<>();
            for (JsonNode r : data.path("regions")) {
                Seen seen = Seen.valueOf(r.path("seen").asText().toUpperCase(Locale.ROOT));
                regions.add(new RegionResult(r.path("region").asText(), seen,
                        r.hasNonNull("layer") ? Layer.valueOf(r.path("layer").asText()) : null,
                        r.hasNonNull("classification") ? Classification.valueOf(r.path("classification").asText()) : null,
                        r.path("latency_ms").canConvertToLong() && r.hasNonNull("latency_ms")
                                ? r.path("latency_ms").asLong() : null,
                        r.hasNonNull("observed_at") ? Timestamps.parse(r.path("observed_at").asText()) : null));
            }
            return Optional.of(new RegionalSplit(data.path("target").asText(), data.path("required").asInt(), regions));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private List<String> names(Seen seen) {
        return regions.stream().filter(r -> r.seen() == seen).map(RegionResult::region).toList();
    }
}
