package dev.cloudops.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArtifactTest {

    private static final Instant AT = Instant.parse("2026-01-05T23:59:07.999Z");

    @Test
    void key_followsTheDesignLayout_inUtc() {
        assertThat(new Artifact(ArtifactKind.ANALYSIS, "01JA", "shop.example", AT, new byte[0]).key())
                .isEqualTo("analyses/2026-01-05/shop.example/23-59-07-01JA.md");
        assertThat(new Artifact(ArtifactKind.EVIDENCE, "01JA", "shop.example", AT, new byte[0]).key())
                .isEqualTo("evidence/2026-01-05/shop.example/23-59-07-01JA.json");
        assertThat(new Artifact(ArtifactKind.EXECUTION_LOG, "01JA", "shop.example", AT, new byte[0]).key())
                .isEqualTo("executions/2026-01-05/shop.example/23-59-07-01JA.md");
        assertThat(new Artifact(ArtifactKind.ARCHIVE, "01JA", "shop.example", AT, new byte[0]).key())
                .isEqualTo("executions/archive/2026/01/05/01JA.json");
    }

    @Test
    void key_keepsTheDomainToOneSafeSegment() {
        assertThat(new Artifact(ArtifactKind.ANALYSIS, "01JA", "Shop.Example/../x?y", AT, new byte[0]).key())
                .isEqualTo("analyses/2026-01-05/shop.example_.._x_y/23-59-07-01JA.md");
        assertThat(new Artifact(ArtifactKind.ANALYSIS, "01JA", "..", AT, new byte[0]).key())
                .isEqualTo("analyses/2026-01-05/_/23-59-07-01JA.md");
    }

    @Test
    void artifact_refusesAnAlertIdThatCouldEscapeItsKey() {
        assertThatThrownBy(() -> new Artifact(ArtifactKind.ANALYSIS, "../01JA", "a.example", AT, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an alert id");
    }
}
