package dev.cloudops.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.runbook.RunbookTemplateTest.Ids;
import dev.cloudops.runbook.RunbookTemplateTest.Kind;
import dev.cloudops.testing.Race;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunbookStore} must do (DynamoDB, SQLite): a first verified fix stores a candidate, each later
 * one adds a success and nothing else, even when learners race; listing is by status, newest first; a replacement
 * decided on a stale copy is refused and changes nothing; and a runbook reads back whole, its template binding as
 * it did before it was stored. Subclasses give a fresh, empty store. The templates are learned from
 * {@link RunbookTemplateTest}'s plans and evidence, one per action type.
 */
public abstract class RunbookStoreContract {

    protected static final Instant NOW = Instant.parse("2026-12-08T09:00:00.123Z");

    private RunbookStore store;

    /** A new, empty store; called once before each test. */
    protected abstract RunbookStore newStore();

    @BeforeEach
    public void open() {
        store = newStore();
    }

    @Test
    public void learned_aNewCandidate_isStoredAsACandidate_withOneSuccess_atVersionOne() {
        Runbook candidate = Runbook.candidate(template(Kind.SET_ENABLED), "alert-1", NOW);

        Runbook stored = store.learned(candidate, NOW);

        assertThat(stored.status()).isEqualTo(Runbook.Status.CANDIDATE);
        assertThat(stored.verifiedSuccesses()).isEqualTo(1);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.taughtBy()).isEqualTo("alert-1");
        assertThat(stored.learnedAt()).isEqualTo(NOW);
        assertThat(store.find(candidate.id())).contains(stored);
    }

    @Test
    public void learned_again_addsOneSuccess_andKeepsStatusTeacherPromoterAndWhenItWasLearned() {
        RunbookTemplate template = template(Kind.SET_ENABLED);
        Runbook first = store.learned(Runbook.candidate(template, "alert-1", NOW), NOW);
        Runbook promoted = store.replace(first.promoted("pat@example.com", NOW.plusSeconds(30))).orElseThrow();

        Runbook again = store.learned(Runbook.candidate(template, "alert-2", NOW.plusSeconds(60)), NOW.plusSeconds(60));

        assertThat(again.verifiedSuccesses()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(Runbook.Status.ACTIVE);
        assertThat(again.taughtBy()).isEqualTo("alert-1");
        assertThat(again.promotedBy()).isEqualTo("pat@example.com");
        assertThat(again.promotedAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(again.learnedAt()).isEqualTo(NOW);
        assertThat(again.version()).isEqualTo(promoted.version() + 1);
        assertThat(store.find(first.id())).contains(again);
    }

    @Test
    public void find_ofAnUnknownId_isEmpty() {
        store.learned(Runbook.candidate(template(Kind.SET_ENABLED), "alert-1", NOW), NOW);

        assertThat(store.find("rb-00000000000000000000000000000000")).isEmpty();
    }

    @Test
    public void list_givesOneStatus_newestLearnedFirst_atMostTheLimit() {
        Runbook oldest = store.learned(Runbook.candidate(template(Kind.UPSERT_RECORD), "a1", NOW), NOW);
        Runbook middle = store.learned(Runbook.candidate(template(Kind.DELETE_RECORD), "a2", NOW), NOW.plusSeconds(60));
        Runbook newest = store.learned(Runbook.candidate(template(Kind.SET_ORIGIN), "a3", NOW), NOW.plusSeconds(120));
        Runbook active = store.learned(Runbook.candidate(template(Kind.SET_ENABLED), "a4", NOW), NOW.plusSeconds(30));
        active = store.replace(withStatus(active, Runbook.Status.ACTIVE)).orElseThrow();

        assertThat(store.list(Runbook.Status.CANDIDATE, 10)).containsExactly(newest, middle, oldest);
        assertThat(store.list(Runbook.Status.CANDIDATE, 2)).containsExactly(newest, middle);
        assertThat(store.list(Runbook.Status.ACTIVE, 10)).containsExactly(active);
        assertThat(store.list(Runbook.Status.CANDIDATE, 0)).isEmpty();
    }

    @Test
    public void replace_atTheStoredVersion_writesIt_andBumpsTheVersion() {
        Runbook stored = store.learned(Runbook.candidate(template(Kind.SET_ENABLED), "alert-1", NOW), NOW);

        Optional<Runbook> replaced = store.replace(withStatus(stored, Runbook.Status.ACTIVE));

        assertThat(replaced).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(Runbook.Status.ACTIVE);
            assertThat(r.version()).isEqualTo(stored.version() + 1);
        });
        assertThat(store.find(stored.id())).isEqualTo(replaced);
    }

    @Test
    public void replace_onAStaleCopy_isRefused_andChangesNothing() {
        Runbook stale = store.learned(Runbook.candidate(template(Kind.SET_ENABLED), "alert-1", NOW), NOW);
        Runbook current = store.learned(Runbook.candidate(template(Kind.SET_ENABLED), "alert-2", NOW), NOW);

        Optional<Runbook> refused = store.replace(withStatus(stale, Runbook.Status.ACTIVE));

        assertThat(refused).isEmpty();
        assertThat(store.find(stale.id())).contains(current);
        assertThat(store.replace(withStatus(Runbook.candidate(template(Kind.SET_ORIGIN), "a", NOW),
                Runbook.Status.ACTIVE))).as("nothing stored under that id: version 0 is never current").isEmpty();
        assertThat(store.find(Runbook.idOf(template(Kind.SET_ORIGIN)))).isEmpty();
    }

    @Test
    public void concurrentLearners_ofOneRunbook_eachCountOneSuccess() throws Exception {
        RunbookTemplate template = template(Kind.CREATE_INVALIDATION);
        int learners = 8;

        Race.run(learners, i -> store.learned(Runbook.candidate(template, "alert-" + i, NOW), NOW));

        Runbook stored = store.find(Runbook.idOf(template)).orElseThrow();
        assertThat(stored.verifiedSuccesses()).isEqualTo(learners);
        assertThat(stored.version()).isEqualTo(learners);
        assertThat(stored.taughtBy()).startsWith("alert-");
    }

    @Test
    public void aRunbook_readsBackWhole_andItsTemplateBindsAsBefore() {
        RunbookTemplate template = template(Kind.SET_VIEWER_CERTIFICATE);
        Runbook stored = store.learned(Runbook.candidate(template, "alert-1", NOW), NOW);
        Runbook full = new Runbook(stored.id(), template, Runbook.Status.ACTIVE, "alert-1", NOW, 7, 5,
                NOW.plusSeconds(3600), "the distribution's ETag had changed", 3, "lee@example.com", "pat@example.com",
                NOW.plusSeconds(7200), stored.version());

        Runbook written = store.replace(full).orElseThrow();
        Runbook read = store.find(stored.id()).orElseThrow();

        assertThat(read).isEqualTo(written);
        assertThat(withVersion(read, full.version())).isEqualTo(full);
        assertThat(read.template()).isEqualTo(template);
        for (Ids ids : List.of(RunbookTemplateTest.TAUGHT, RunbookTemplateTest.OTHER)) {
            assertThat(bound(read.template(), ids)).isEqualTo(bound(template, ids))
                    .isEqualTo(PlanJson.canonical(Kind.SET_VIEWER_CERTIFICATE.plan(ids)));
        }
    }

    /** The template learned from {@code kind}'s plan for the taught site's evidence. */
    private static RunbookTemplate template(Kind kind) {
        return RunbookLearner.learn(IssueType.HTTP_ERROR, kind.plan(RunbookTemplateTest.TAUGHT),
                pack(RunbookTemplateTest.TAUGHT)).orElseThrow();
    }

    private static String bound(RunbookTemplate template, Ids ids) {
        RunbookTemplate.Binding binding = template.bind(IssueType.HTTP_ERROR, pack(ids));
        assertThat(binding).isInstanceOf(RunbookTemplate.Binding.Bound.class);
        return PlanJson.canonical(((RunbookTemplate.Binding.Bound) binding).plan());
    }

    private static EvidencePack pack(Ids ids) {
        return EvidencePack.fromJsonBytes(ids.pack().getBytes(StandardCharsets.UTF_8));
    }

    private static Runbook withStatus(Runbook r, Runbook.Status status) {
        return new Runbook(r.id(), r.template(), status, r.taughtBy(), r.learnedAt(), r.uses(), r.verifiedSuccesses(),
                r.lastFailureAt(), r.lastFailure(), r.autoApproveAfter(), r.autoApprovalBy(), r.promotedBy(),
                r.promotedAt(), r.version());
    }

    private static Runbook withVersion(Runbook r, long version) {
        return new Runbook(r.id(), r.template(), r.status(), r.taughtBy(), r.learnedAt(), r.uses(),
                r.verifiedSuccesses(), r.lastFailureAt(), r.lastFailure(), r.autoApproveAfter(), r.autoApprovalBy(),
                r.promotedBy(), r.promotedAt(), version);
    }
}
