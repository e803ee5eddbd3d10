package dev.cloudops.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.testing.EvidenceFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence pack's stored JSON reads back into the same pack, and a damaged one is refused by name. */
class EvidencePackJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPackWithEveryKindOfItem_survivesARoundTrip() {
        Instant at = Instant.parse("2026-11-27T02:28:00.123456Z");
        EvidencePack pack = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(true, "Deployed", EvidenceFixtures.DOMAIN, "origin.example.com", "")
                .certificate("SUCCESS", 20, "shop.example.com").noDistribution().denied("s3:GetBucketPolicyStatus")
                .regions(new RegionalSplit("https://shop.example.com/", 2, List.of(
                        new RegionResult("eu-west-1", Seen.FAILING, Layer.DNS, Classification.DNS_FAILURE, 40L, at),
                        new RegionResult("us-east-1", Seen.HEALTHY, null, Classification.HEALTHY, 90L, at))))
                .pack();

        EvidencePack read = EvidencePack.fromJsonBytes(pack.toJsonBytes());

        assertThat(new String(read.toJsonBytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(pack.toJsonBytes(), StandardCharsets.UTF_8));
        assertThat(read).usingRecursiveComparison().ignoringFields("items").isEqualTo(pack);
        assertThat(read.items()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("data")
                .isEqualTo(pack.items());
        assertThat(read.items()).hasSize(7);
        assertThat(read.item("E5").orElseThrow().data()).isNull();
    }

    @Test
    void nullSubjectAndHost_stayNull() {
        EvidencePack pack = new EvidencePack("01J", null, Instant.parse("2026-11-27T02:28:00Z"), List.of(
                new EvidenceItem("E1", "probe:Verdict", null, Instant.parse("2026-11-27T02:28:00Z"), EvidenceStatus.OK,
                        "HEALTHY", null)));

        assertThat(EvidencePack.fromJson(pack.toJson())).isEqualTo(pack);
    }

    @Test
    void damagedJson_isRefused_namingTheField() {
        ObjectNode good = new EvidenceFixtures().zone().pack().toJson();

        ObjectNode noItems = good.deepCopy();
        noItems.remove("items");
        assertThatThrownBy(() -> EvidencePack.fromJson(noItems)).hasMessage("$.items: missing or not an array");

        ObjectNode badStatus = good.deepCopy();
        ((ObjectNode) badStatus.get("items").get(0)).put("status", "FINE");
        assertThatThrownBy(() -> EvidencePack.fromJson(badStatus)).hasMessageStartingWith(
                "$.items[0].status: 'FINE' is not one of [OK, NOT_FOUND");

        ObjectNode badTime = good.deepCopy();
        badTime.put("collected_at", "yesterday");
        assertThatThrownBy(() -> EvidencePack.fromJson(badTime)).hasMessage(
                "$.collected_at: not an ISO-8601 instant: 'yesterday'");

        ObjectNode noSummary = good.deepCopy();
        ((ObjectNode) noSummary.get("items").get(0)).remove("summary");
        assertThatThrownBy(() -> EvidencePack.fromJson(noSummary)).hasMessage("$.items[0].summary: missing");

        assertThatThrownBy(() -> EvidencePack.fromJsonBytes("{".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> EvidencePack.fromJson(JSON.createArrayNode()))
                .hasMessage("an evidence pack is a JSON object");
    }
}
