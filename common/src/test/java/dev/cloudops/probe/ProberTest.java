package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProberTest {

    @Test
    void describe_collapsesRunsOfStatusesIntoRanges() {
        assertThat(Prober.describe(Set.of(200, 201, 202, 204, 301, 302))).isEqualTo("200-202, 204, 301-302");
        assertThat(Prober.describe(Set.of(200))).isEqualTo("200");
    }
}
