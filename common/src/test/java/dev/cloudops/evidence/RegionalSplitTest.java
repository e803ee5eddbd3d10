package dev.cloudops.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.RegionalSplit.RegionResult;
import dev.cloudops.evidence.RegionalSplit.Seen;
import dev.cloudops.json.Json;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegionalSplitTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private static final RegionalSplit DNS_IN_ONE = new RegionalSplit("https://shop.example.com/", 2, List.of(
            new RegionResult("eu-west-1", Seen.FAILING, Layer.DNS, Classification.DNS_FAILURE, 12L, AT),
            new RegionResult("us-east-1", Seen.HEALTHY, null, Classification.HEALTHY, 80L, AT.minusSeconds(40)),
            RegionResult.silent("ap-southeast-2")));

    @Test
    void splitsTheRegions_andSaysSoInOneLine() {
        assertThat(DNS_IN_ONE.failing()).containsExactly("eu-west-1");
        assertThat(DNS_IN_ONE.healthy()).containsExactly("us-east-1");
        assertThat(DNS_IN_ONE.silent()).containsExactly("ap-southeast-2");
        assertThat(DNS_IN_ONE.partial()).isTrue();
        assertThat(DNS_IN_ONE.quorumMet()).isFalse();
        assertThat(DNS_IN_ONE.failingEverywhereHeard()).isFalse();
        assertThat(DNS_IN_ONE.failingLayers()).containsExactly(Layer.DNS);
        assertThat(DNS_IN_ONE.summary()).isEqualTo("1 of 3 regions see https://shop.example.com/ failing (2 needed "
                + "for an alert); eu-west-1: DNS_FAILURE at DNS; healthy from us-east-1; silent: ap-southeast-2");
    }

    @Test
    void tellsEachLayerOfARegion_okFailingOrNotReached() {
        RegionResult tls = new RegionResult("eu-west-1", Seen.FAILING, Layer.TLS, Classification.CERT_EXPIRED, 30L, AT);

        assertThat(List.of(Layer.values()).stream().map(tls::at).toList())
                .containsExactly("ok", "ok", "failing: CERT_EXPIRED", "not reached");
        assertThat(RegionResult.silent("x-1").at(Layer.DNS)).isEqualTo("no result");
        assertThat(DNS_IN_ONE.regions().get(1).at(Layer.HTTP)).isEqualTo("ok");
    }

    @Test
    void travelsInTheEvidencePack_andReadsBackTheSame() {
        EvidencePack pack = new EvidencePack("A1", "shop.example.com", AT, List.of(new EvidenceItem("E1",
                "route53:ListHostedZonesByName", "shop.example.com", AT, EvidenceStatus.OK, "zone", null)));

        EvidencePack withSplit = DNS_IN_ONE.addTo(pack);

        assertThat(withSplit.items()).hasSize(2);
        EvidenceItem item = withSplit.items().get(1);
        assertThat(item.id()).isEqualTo("E2");
        assertThat(item.source()).isEqualTo(RegionalSplit.SOURCE);
        assertThat(item.summary()).isEqualTo(DNS_IN_ONE.summary());
        assertThat(RegionalSplit.in(withSplit)).contains(DNS_IN_ONE);
        assertThat(RegionalSplit.in(pack)).isEmpty();
    }

    @Test
    void readsNothingFromDataThatIsNotASplit() {
        ObjectNode data = DNS_IN_ONE.toItem("E1", AT).data();
        ((ObjectNode) data.withArray("regions").get(0)).put("layer", "BGP");

        assertThat(RegionalSplit.fromData(data)).isEqualTo(Optional.empty());
        assertThat(RegionalSplit.fromData(Json.mapper().createObjectNode().put("target", "x"))).isEmpty();
        assertThat(RegionalSplit.fromData(null)).isEmpty();
    }

    @Test
    void refusesAFailingRegionWithoutItsLayer_andAnImpossibleQuorum() {
        assertThatThrownBy(() -> new RegionResult("eu-west-1", Seen.FAILING, null, Classification.DNS_FAILURE, 1L, AT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionalSplit("t", 4, DNS_IN_ONE.regions()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
