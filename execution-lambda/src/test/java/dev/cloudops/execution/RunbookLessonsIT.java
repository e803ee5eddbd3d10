package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AuditAction;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookTemplate;
import dev.cloudops.runbook.dynamodb.DynamoDbRunbookStore;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The execution function learns from what it verified: a COMPLETED execution leaves a runbook candidate in the
 * Control table, taught by its alert; the same fix verified again counts one more success on the same runbook; a
 * plan rolled back teaches nothing; and the runbook learned gives another alert's plan from that alert's evidence.
 * An active runbook whose plan ran and failed is demoted to a candidate with the failure on its record, and a
 * runbook's own approval of a plan holds only while the runbook, read again before anything runs, still allows it.
 */
@ExtendWith(Emulators.class)
class RunbookLessonsIT {

    private final Dynalite dynalite;
    private final S3Emulator s3;
    private ExecutionTestBed bed;
    private DynamoDbRunbookStore runbooks;

    RunbookLessonsIT(Dynalite dynalite, S3Emulator s3) {
        this.dynalite = dynalite;
        this.s3 = s3;
    }

    @BeforeEach
    void start() {
        bed = new ExecutionTestBed(dynalite, s3);
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.aws.updatesMatching(ExecutionTestBed.ETAG, "E2AFTERUPDATE");
        runbooks = new DynamoDbRunbookStore(dynalite.client(), bed.control);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void aVerifiedExecution_teachesACandidate_andTheSameFixVerifiedAgainCountsOnTheSameRunbook() {
        Alert first = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        JsonNode completed = bed.execute(bed.handler(), first);
        bed.site.switchUp(false);
        Alert second = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        JsonNode again = bed.execute(bed.handler(), second);

        assertThat(completed.path("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(again.path("outcome").asText()).isEqualTo("COMPLETED");
        List<Runbook> candidates = runbooks.list(Runbook.Status.CANDIDATE, 10);
        assertThat(candidates).singleElement().satisfies(r -> {
            assertThat(r.taughtBy()).isEqualTo(first.alertId());
            assertThat(r.verifiedSuccesses()).isEqualTo(2);
            assertThat(r.template().issueType()).isEqualTo(IssueType.HTTP_ERROR);
            assertThat(r.planTemplate()).doesNotContain(AwsStandIn.DISTRIBUTION, ExecutionTestBed.ETAG);
        });
    }

    @Test
    void aPlanRolledBack_teachesNothing() {
        bed.fixWorks = false;
        bed.aws.distribution("E2AFTERUPDATE", true);
        Alert alert = bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2));
        bed.aws.distribution(ExecutionTestBed.ETAG, false);

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).isNotEqualTo("COMPLETED");
        assertThat(runbooks.list(Runbook.Status.CANDIDATE, 10)).isEmpty();
    }

    @Test
    void theRunbookLearned_givesAnotherAlertsPlan_fromThatAlertsEvidence() {
        bed.execute(bed.handler(), bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2)));
        Runbook learned = runbooks.list(Runbook.Status.CANDIDATE, 10).getFirst();
        String other = ExecutionTestBed.evidence("01JOTHERALERT").replace(AwsStandIn.DISTRIBUTION, "E1ANOTHERDIST7")
                .replace(ExecutionTestBed.ETAG, "E7OTHERETAG000");

        RunbookTemplate.Binding bound = learned.template().bind(IssueType.HTTP_ERROR,
                EvidencePack.fromJsonBytes(other.getBytes(StandardCharsets.UTF_8)));

        assertThat(bound).isInstanceOfSatisfying(RunbookTemplate.Binding.Bound.class, b -> assertThat(
                PlanJson.canonical(b.plan())).contains("\"distribution_id\":\"E1ANOTHERDIST7\"",
                        "\"etag\":\"E7OTHERETAG000\"").doesNotContain(AwsStandIn.DISTRIBUTION));
    }

    @Test
    void anActiveRunbooksPlanThatFailsVerification_demotesItToACandidate_withTheFailureOnItsRecord() {
        Runbook active = learnedAndPromoted(2);
        bed.fixWorks = false;
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.site.switchUp(false);
        Alert alert = bed.approvedFromRunbook(ExecutionTestBed.enable(), active, false);

        JsonNode outcome = bed.execute(bed.handler(), alert);

        assertThat(outcome.path("outcome").asText()).as("the plan ran and the target still failed")
                .isIn("ROLLED_BACK", "FAILED");
        assertThat(bed.alerts.find(alert.alertId()).orElseThrow().audit()).anySatisfy(e -> assertThat(e.action())
                .isEqualTo(AuditAction.STEP_APPLIED));
        Runbook demoted = runbooks.find(active.id()).orElseThrow();
        assertThat(demoted.status()).isEqualTo(Runbook.Status.CANDIDATE);
        assertThat(demoted.lastFailure()).startsWith("alert " + alert.alertId() + ": the target was still failing");
        assertThat(demoted.lastFailureAt()).isNotNull();
        assertThat(demoted.autoApproveAfter()).as("auto-approval off until a person sets it again").isZero();
        assertThat(demoted.promotedBy()).isNull();
        assertThat(demoted.verifiedSuccesses()).isEqualTo(active.verifiedSuccesses());
        assertThat(runbooks.list(Runbook.Status.ACTIVE, 10)).isEmpty();
    }

    @Test
    void aRunbooksOwnApproval_runsWhileItsRecordAllowsIt_andIsRefusedOnceItWasDemoted() {
        Runbook active = learnedAndPromoted(1);
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.site.switchUp(false);
        Alert byItself = bed.approvedFromRunbook(ExecutionTestBed.enable(), active, true);

        JsonNode completed = bed.execute(bed.handler(), byItself);

        assertThat(completed.path("outcome").asText()).isEqualTo("COMPLETED");
        Runbook counted = runbooks.find(active.id()).orElseThrow();
        assertThat(counted.verifiedSuccesses()).isEqualTo(active.verifiedSuccesses() + 1);

        Runbook demoted = runbooks.replace(counted.demoted("alert 01JEARLIER: it failed", Instant.now()))
                .orElseThrow();
        bed.aws.distribution(ExecutionTestBed.ETAG, false);
        bed.site.switchUp(false);
        Alert stale = bed.approvedFromRunbook(ExecutionTestBed.enable(), counted, true);
        int writes = bed.aws.writes().size();

        JsonNode refused = bed.execute(bed.handler(), stale);

        assertThat(refused.path("outcome").asText()).isEqualTo("FAILED");
        Alert stored = bed.alerts.find(stale.alertId()).orElseThrow();
        assertThat(stored.audit()).filteredOn(e -> e.action() == AuditAction.EXECUTION_FINISHED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("runbook " + active.id()
                        + " approved the plan by itself, but may not now", "is a candidate, not active", "nothing was run"));
        assertThat(bed.aws.writes()).as("nothing ran").hasSize(writes);
        assertThat(runbooks.find(active.id()).orElseThrow()).as("a refusal before anything ran demotes nothing")
                .isEqualTo(demoted);
    }

    /** The candidate a verified execution teaches, promoted by a person and set to approve LOW alerts from {@code after}. */
    private Runbook learnedAndPromoted(int after) {
        bed.execute(bed.handler(), bed.approved(ExecutionTestBed.enable(), Duration.ofMinutes(2)));
        Runbook candidate = runbooks.list(Runbook.Status.CANDIDATE, 10).getFirst();
        return runbooks.replace(candidate.promoted("pat@example.com", Instant.now()).autoApproving(after, "lee"))
                .orElseThrow();
    }
}
