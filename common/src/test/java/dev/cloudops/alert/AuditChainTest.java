package dev.cloudops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.AuditChain.Tampering;
import dev.cloudops.alert.AuditChain.Verdict;
import dev.cloudops.testing.AlertFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit trail's hash chain: each way of changing a written trail is found, and where. */
class AuditChainTest {

    private static final String ID = "01JCHAIN000000000000000001";

    /** A trail of five entries as the lifecycle writes it: detected, analysed, approved, started, notified. */
    private static List<AuditEvent> written() {
        Alert approved = AlertFixtures.approved(ID);
        List<AuditEvent> trail = new ArrayList<>(approved.audit());
        Instant t = approved.timestamp().plusSeconds(600);
        trail.add(AuditChain.append(ID, trail, AuditEvent.of(t, AuditAction.NOTIFIED, AlertFixtures.MONITOR, "sent",
                "teams")));
        trail.add(AuditChain.append(ID, trail, AuditEvent.of(t.plusSeconds(1), AuditAction.NOTIFIED,
                AlertFixtures.MONITOR, "sent", "email")));
        return trail;
    }

    @Test
    void aTrailAsWritten_isIntact_andItsHeadIsItsLengthAndLastLink() {
        List<AuditEvent> trail = written();
        AuditChain.Head head = AuditChain.head(ID, trail);

        assertThat(AuditChain.verify(ID, trail, head)).isEqualTo(new Verdict.Intact(trail.size()));
        assertThat(head.length()).isEqualTo(trail.size());
        assertThat(trail.getFirst().previous()).isEqualTo(AuditChain.genesis(ID));
        assertThat(AuditChain.Head.parse(head.wire())).contains(head);
        assertThat(AuditChain.Head.parse("12:nothex")).isEmpty();
    }

    @Test
    void anEditedEntry_isFound_whereverItIs() {
        List<AuditEvent> trail = written();
        AuditChain.Head head = AuditChain.head(ID, trail);
        for (int index = 0; index < trail.size(); index++) {
            int i = index;
            List<AuditEvent> edited = new ArrayList<>(trail);
            AuditEvent e = edited.get(i);
            edited.set(i, new AuditEvent(e.at(), e.action(), "mallory", e.verified(), e.sourceIp(), e.userAgent(),
                    e.result(), e.detail(), e.previous()));

            assertThat(AuditChain.verify(ID, edited, head)).as("entry %d edited", i)
                    .isInstanceOfSatisfying(Verdict.Broken.class, b -> {
                        assertThat(b.tampering()).isEqualTo(Tampering.EDITED);
                        assertThat(b.position()).isEqualTo(i);
                    });
        }
    }

    @Test
    void aMissingEntry_isFound_atThePlaceItWasTakenFrom() {
        List<AuditEvent> trail = written();
        AuditChain.Head head = AuditChain.head(ID, trail);
        for (int index = 0; index < trail.size() - 1; index++) {
            int i = index;
            List<AuditEvent> missing = new ArrayList<>(trail);
            missing.remove(i);

            assertThat(AuditChain.verify(ID, missing, head)).as("entry %d removed", i)
                    .isInstanceOfSatisfying(Verdict.Broken.class, b -> {
                        assertThat(b.tampering()).isEqualTo(Tampering.MISSING);
                        assertThat(b.position()).isEqualTo(i);
                    });
        }
    }

    @Test
    void reorderedEntries_areFound_atTheFirstOutOfPlace() {
        List<AuditEvent> trail = written();
        AuditChain.Head head = AuditChain.head(ID, trail);
        List<AuditEvent> swapped = new ArrayList<>(trail);
        Collections.swap(swapped, 1, 2);
        List<AuditEvent> moved = new ArrayList<>(trail);
        moved.add(1, moved.remove(4));

        assertThat(AuditChain.verify(ID, swapped, head)).isInstanceOfSatisfying(Verdict.Broken.class, b -> {
            assertThat(b.tampering()).isEqualTo(Tampering.REORDERED);
            assertThat(b.position()).isEqualTo(1);
        });
        assertThat(AuditChain.verify(ID, moved, head)).isInstanceOfSatisfying(Verdict.Broken.class, b -> {
            assertThat(b.tampering()).isEqualTo(Tampering.REORDERED);
            assertThat(b.position()).isEqualTo(1);
        });
    }

    @Test
    void aTruncatedTrail_isFound_byItsHead() {
        List<AuditEvent> trail = written();
        AuditChain.Head head = AuditChain.head(ID, trail);

        assertThat(AuditChain.verify(ID, trail.subList(0, 3), head)).isInstanceOfSatisfying(Verdict.Broken.class,
                b -> {
                    assertThat(b.tampering()).isEqualTo(Tampering.TRUNCATED);
                    assertThat(b.position()).isEqualTo(3);
                    assertThat(b.detail()).isEqualTo("the trail ends after 3 entries; 5 were written");
                });
        assertThat(AuditChain.verify(ID, List.of(), head)).isInstanceOf(Verdict.Broken.class);
    }

    @Test
    void aTrailFromAnotherAlert_orAForeignHead_doesNotVerify() {
        List<AuditEvent> trail = written();

        assertThat(AuditChain.verify("01JOTHER00000000000000001", trail, AuditChain.head(ID, trail)))
                .isInstanceOf(Verdict.Broken.class);
        assertThat(AuditChain.verify(ID, trail, new AuditChain.Head(trail.size(), AuditChain.genesis(ID))))
                .isInstanceOfSatisfying(Verdict.Broken.class,
                        b -> assertThat(b.tampering()).isEqualTo(Tampering.EDITED));
    }

    @Test
    void entriesWrittenBeforeChaining_areReportedUnchained() {
        List<AuditEvent> legacy = List.of(new AuditEvent(AlertFixtures.DETECTED_AT, AuditAction.DETECTED, "monitor",
                true, null, null, "DETECTED", "found"));

        assertThat(AuditChain.verify(ID, legacy, AuditChain.head(ID, legacy))).isEqualTo(new Verdict.Unchained(0));
    }
}
