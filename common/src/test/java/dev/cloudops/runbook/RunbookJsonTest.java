package dev.cloudops.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.IssueType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A runbook's stored document: it reads back equal, and a damaged one is refused with each fault named. */
class RunbookJsonTest {

    private static final Instant AT = Instant.parse("2026-12-08T09:00:00.123Z");
    private static final RunbookTemplate TEMPLATE = new RunbookTemplate(IssueType.HTTP_ERROR, "{\"plan\":\"{{p1}}\"}",
            List.of(new RunbookTemplate.Parameter("p1",
                    new RunbookTemplate.Source("cloudfront:GetDistribution", 1, "/data/id"), true)),
            List.of(new RunbookTemplate.Predicate(new RunbookTemplate.Source("acm:DescribeCertificate", 0,
                    "/data/status"), "ISSUED")));

    @Test
    void everyField_readsBackEqual_withAndWithoutTheOptionalOnes() {
        Runbook full = new Runbook("rb-1", TEMPLATE, Runbook.Status.ACTIVE, "alert-1", AT, 4, 3,
                AT.plusSeconds(60), "ETag changed", 2, "lee@example.com", "pat@example.com", AT.plusSeconds(120), 9);
        Runbook bare = Runbook.candidate(TEMPLATE, "alert-2", AT);

        assertThat(RunbookJson.read(RunbookJson.write(full))).isEqualTo(full);
        assertThat(RunbookJson.read(RunbookJson.write(bare))).isEqualTo(bare);
    }

    @Test
    void aDamagedDocument_isRefused_namingEachMissingOrMistypedField() {
        String json = RunbookJson.write(Runbook.candidate(TEMPLATE, "alert-1", AT))
                .replace("\"taught_by\":\"alert-1\",", "")
                .replace("\"ordinal\":1", "\"ordinal\":\"one\"")
                .replace("\"status\":\"CANDIDATE\"", "\"status\":\"RETIRED\"")
                .replace("\"uses\":0", "\"uses\":-1");

        assertThatThrownBy(() -> RunbookJson.read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a runbook document does not read back: template.parameters[0].from.ordinal must be a"
                        + " whole number from 0, not string; status is 'RETIRED', not a Status; taught_by is missing;"
                        + " uses must be a whole number from 0, not number");
        assertThatThrownBy(() -> RunbookJson.read("[]")).hasMessage("a runbook document must be a JSON object");
        assertThatThrownBy(() -> RunbookJson.read("{")).hasMessageStartingWith("a runbook document is not JSON");
    }
}
