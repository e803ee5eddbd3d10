package dev.cloudops.execution.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.edge.EdgeEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * route53.upsert_record and route53.delete_record, and their undo, on the edge stand-in and on moto: one
 * ChangeResourceRecordSets batch deleting the record observed and creating the new one, read back with
 * ListResourceRecordSets. (Throttling, a change that never settles and the request as sent stay on WireMock:
 * PlanExecutorIT, ExecutionSafetyIT.)
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.edge.EdgeEndpoint#all")
@ExtendWith(Emulators.class)
class Route53ExecutorEdgeIT {

    @Parameter
    EdgeEndpoint endpoint;

    private Route53Executor executor;
    private String domain;
    private String zone;

    @BeforeEach
    void setUp() {
        executor = new Route53Executor(endpoint.clients().route53(), Clock.systemUTC(), Duration.ofSeconds(5),
                Duration.ofMillis(100));
        domain = EdgeEndpoint.uniqueDomain();
        zone = endpoint.publicZone(domain);
    }

    @Test
    void upsert_replacesTheObservedRecordInOneBatch_andUndoPutsItBack() {
        String host = "shop." + domain;
        endpoint.record(zone, host, "A", 60, "192.0.2.1");
        PlanStep step = step(new Action.UpsertRecord(values(host, 300L, "192.0.2.2")));

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JEDGE", step, before);
        List<ResourceRecordSet> afterApply = endpoint.records(zone, host);
        var changed = executor.changedSince(step, executor.observe(step), applied.version());
        undo(applied);

        assertThat(before.facts()).containsEntry("record", "present").containsEntry("values", "192.0.2.1")
                .containsEntry("ttl", "60");
        assertThat(applied.calls()).extracting(CallRecord::api)
                .containsExactly("route53:ChangeResourceRecordSets", "route53:GetChange");
        assertThat(applied.calls().getFirst().parameters()).contains("DELETE " + host, "CREATE " + host);
        assertThat(applied.calls().getLast().result()).isEqualTo("INSYNC");
        assertThat(afterApply).singleElement().satisfies(r -> {
            assertThat(r.ttl()).isEqualTo(300L);
            assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly("192.0.2.2");
        });
        assertThat(changed).isEmpty();
        if (endpoint.isMoto()) {
            assertThat(endpoint.records(zone, host)).isEqualTo(afterApply);
            return;
        }
        assertThat(endpoint.records(zone, host)).singleElement().satisfies(r -> {
            assertThat(r.ttl()).isEqualTo(60L);
            assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly("192.0.2.1");
        });
    }

    @Test
    void anAliasRecord_isCreated_readBackAsTheStepLeftIt_andUndoDeletesIt() {
        String host = "www." + domain;
        Action.RecordSet alias = new Action.RecordSet(zone, host, "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", EdgeEndpoint.CLOUDFRONT_ZONE, false));
        PlanStep step = step(new Action.UpsertRecord(alias));

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JEDGE", step, before);
        Observation after = executor.observe(step);
        var changed = executor.changedSince(step, after, applied.version());
        executor.undo(applied, applied.version());

        assertThat(before.facts()).containsExactlyEntriesOf(Map.of("record", "absent"));
        assertThat(after.facts()).containsEntry("record", "present")
                .containsEntry("alias_target", "d111111abcdef8.cloudfront.net").doesNotContainKey("ttl");
        assertThat(changed).isEmpty();
        assertThat(endpoint.records(zone, host)).isEmpty();
    }

    @Test
    void anAliasRecord_isReplacedByValues_deletingItAsItWasCreated() {
        String host = "cdn." + domain;
        endpoint.alias(zone, host, "d222222abcdef8.cloudfront.net");
        PlanStep step = step(new Action.UpsertRecord(values(host, 120L, "192.0.2.7")));

        Observation before = executor.observe(step);
        AppliedStep applied = executor.apply("01JEDGE", step, before);
        List<ResourceRecordSet> afterApply = endpoint.records(zone, host);
        undo(applied);

        assertThat(before.facts()).containsEntry("alias_target", "d222222abcdef8.cloudfront.net")
                .doesNotContainKey("ttl");
        assertThat(afterApply).singleElement().satisfies(r -> {
            assertThat(r.aliasTarget()).isNull();
            assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly("192.0.2.7");
        });
        if (endpoint.isMoto()) {
            assertThat(endpoint.records(zone, host)).isEqualTo(afterApply);
            return;
        }
        assertThat(endpoint.records(zone, host)).singleElement().satisfies(r ->
                assertThat(r.aliasTarget().dnsName()).startsWith("d222222abcdef8.cloudfront.net"));
    }

    @Test
    void delete_removesTheRecord_andUndoRecreatesIt() {
        String host = "old." + domain;
        endpoint.record(zone, host, "TXT", 300, "\"v=spf1 -all\"");
        PlanStep step = step(new Action.DeleteRecord(new Action.RecordSet(zone, host, "TXT", 300L,
                List.of("\"v=spf1 -all\""), null)));

        AppliedStep applied = executor.apply("01JEDGE", step, executor.observe(step));
        List<ResourceRecordSet> afterApply = endpoint.records(zone, host);
        executor.undo(applied, applied.version());

        assertThat(afterApply).isEmpty();
        assertThat(endpoint.records(zone, host)).singleElement().satisfies(r ->
                assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly("\"v=spf1 -all\""));
    }

    /**
     * Someone changes the record between the observation and the batch. Route 53 refuses a DELETE whose values
     * are not the record's current ones, and with it the whole batch; the stand-in does as the reference says.
     * moto checks a DELETE only against the changes it was ever sent (its journal), not against the record as it
     * is now, so it accepts the batch: asserted too, so a moto that starts refusing is noticed.
     */
    @Test
    void aRecordChangedSinceItWasObserved_makesTheWholeBatchFail_onRoute53AndTheStandIn_butNotOnMoto() {
        String host = "race." + domain;
        endpoint.record(zone, host, "A", 60, "192.0.2.1");
        PlanStep step = step(new Action.UpsertRecord(values(host, 300L, "192.0.2.2")));
        Observation before = executor.observe(step);
        endpoint.clients().route53().changeResourceRecordSets(b -> b.hostedZoneId(zone).changeBatch(c -> c.changes(
                ch -> ch.action("UPSERT").resourceRecordSet(r -> r.name(host).type("A").ttl(60L)
                        .resourceRecords(ResourceRecord.builder().value("192.0.2.9").build())))));

        if (endpoint.isMoto()) {
            executor.apply("01JEDGE", step, before);
            assertThat(endpoint.records(zone, host)).singleElement().satisfies(r ->
                    assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly("192.0.2.2"));
            return;
        }
        StepFailedException refused = assertThrows(StepFailedException.class,
                () -> executor.apply("01JEDGE", step, before));

        assertThat(refused.getMessage()).startsWith("Route 53 refused the change: InvalidChangeBatch")
                .contains("values provided do not match the current values");
        assertThat(refused.accepted()).isEmpty();
        assertThat(endpoint.records(zone, host)).singleElement().satisfies(r ->
                assertThat(r.resourceRecords()).extracting(ResourceRecord::value).containsExactly("192.0.2.9"));
    }

    /**
     * Undoes a replacement: DELETE of the record the step created, CREATE of the one it replaced, in one batch,
     * which the API reference names as the way to replace a record ("Change Batches and Transactional
     * Changes"), and the stand-in applies in order. moto checks a CREATE that repeats one it was sent before
     * against the zone as it was before the batch, so it finds the record the same batch deletes and refuses
     * with "already exists", applying nothing: asserted here, so a moto that gets it right is noticed (and the
     * caller then checks the zone is as the step left it).
     */
    private void undo(AppliedStep applied) {
        if (!endpoint.isMoto()) {
            executor.undo(applied, applied.version());
            return;
        }
        StepFailedException refused = assertThrows(StepFailedException.class,
                () -> executor.undo(applied, applied.version()));
        assertThat(refused.getMessage()).startsWith("Route 53 refused the change: InvalidChangeBatch: Tried to create "
                + "resource record set").endsWith("but it already exists");
    }

    private Action.RecordSet values(String host, Long ttl, String... values) {
        return new Action.RecordSet(zone, host, "A", ttl, List.of(values), null);
    }

    private PlanStep step(Action action) {
        return new PlanStep("S1", action, Precondition.of("E2", Map.of("record", "present")), new Inverse.Undo(action), Risk.MEDIUM,
                new Permission("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + zone));
    }
}
