package dev.cloudops.execution.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@code route53.upsert_record} and {@code route53.delete_record}: one ChangeResourceRecordSets batch that
 * deletes the exact record observed and creates the new one (a concurrent change makes the whole batch
 * fail), then waits for INSYNC until a deadline. A change Route 53 accepted counts as applied from then on,
 * settled or not; its undo deletes exactly the record it created and puts back exactly the one it replaced.
 */
public final class Route53Executor implements StepExecutor {

    private final Route53Client route53;
    private final Clock clock;
    private final Duration syncDeadline;
    private final Duration pollInterval;

    public Route53Executor(Route53Client route53, Clock clock, Duration syncDeadline, Duration pollInterval) {
        this.route53 = route53;
        this.clock = clock;
        this.syncDeadline = syncDeadline;
        this.pollInterval = pollInterval;
    }

    @Override
    public boolean handles(Action action) {
        return action instanceof Action.UpsertRecord || action instanceof Action.DeleteRecord;
    }

    @Override
    public List<String> resources(Action action) {
        Action.RecordSet r = record(action);
        return List.of("route53:" + zoneId(r.hostedZoneId()) + "/" + normal(r.name()) + "/"
                + r.type().toUpperCase(Locale.ROOT));
    }

    /**
     * The record's normalized name (lower case, no trailing dot, {@code *} as Route 53 writes it) and its type,
     * which the execution role's policy conditions on.
     */
    @Override
    public Map<String, List<String>> conditionKeys(Action action) {
        Action.RecordSet r = record(action);
        return Map.of("route53:ChangeResourceRecordSetsNormalizedRecordNames", List.of(normal(r.name())
                .replace("*", "\\052")), "route53:ChangeResourceRecordSetsRecordTypes",
                List.of(r.type().toUpperCase(Locale.ROOT)));
    }

    @Override
    public Observation observe(PlanStep step) {
        Action.RecordSet wanted = record(step.action());
        ListResourceRecordSetsResponse response = route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId(wanted.hostedZoneId()))
                .startRecordName(wanted.name()).startRecordType(wanted.type()).maxItems("1"));
        Optional<ResourceRecordSet> found = response.resourceRecordSets().stream()
                .filter(r -> normal(r.name()).equals(normal(wanted.name()))
                        && r.typeAsString().equalsIgnoreCase(wanted.type()))
                .map(Route53Executor::asSpecified)
                .findFirst();
        return new Observation(facts(found.map(r -> new Seen(r.typeAsString(),
                r.aliasTarget() == null ? null : r.aliasTarget().dnsName(), r.ttl(),
                r.hasResourceRecords() ? r.resourceRecords().stream().map(ResourceRecord::value).toList() : List.of()))),
                found.orElse(null));
    }

    /**
     * The record as the evidence's {@code route53:ListResourceRecordSets} read of its zone saw it: present (as
     * it was) or absent. Empty when the analysis did not read that name in that zone.
     */
    @Override
    public Optional<Map<String, String>> analysed(PlanStep step, JsonNode evidence) {
        Action.RecordSet wanted = record(step.action());
        String zone = zoneId(wanted.hostedZoneId());
        for (JsonNode item : evidence == null ? List.<JsonNode>of() : evidence) {
            JsonNode records = item.path("data").path("records");
            if (!"route53:ListResourceRecordSets".equals(item.path("source").asText())
                    || !zone.equals(zoneId(item.path("subject").asText())) || !records.isArray()) {
                continue;
            }
            boolean readThisName = normal(item.path("data").path("host").asText("")).equals(normal(wanted.name()));
            for (JsonNode r : records) {
                readThisName |= normal(r.path("name").asText()).equals(normal(wanted.name()));
                if (normal(r.path("name").asText()).equals(normal(wanted.name()))
                        && r.path("type").asText().equalsIgnoreCase(wanted.type())) {
                    List<String> values = new ArrayList<>();
                    r.path("values").forEach(v -> values.add(v.asText()));
                    JsonNode alias = r.path("alias").path("dns_name");
                    return Optional.of(facts(Optional.of(new Seen(r.path("type").asText(),
                            alias.isMissingNode() || alias.isNull() ? null : alias.asText(),
                            r.path("ttl").isNumber() ? r.path("ttl").asLong() : null, values))));
                }
            }
            if (readThisName) {
                return Optional.of(facts(Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /** The record must still be exactly the one the step wrote (or still gone, for a delete). */
    @Override
    public Optional<String> changedSince(PlanStep step, Observation now, String version) {
        Action.RecordSet wanted = record(step.action());
        Map<String, String> left = facts(step.action() instanceof Action.UpsertRecord
                ? Optional.of(new Seen(wanted.type(), wanted.alias() == null ? null : wanted.alias().dnsName(),
                        wanted.ttl(), wanted.values()))
                : Optional.empty());
        Map<String, String> is = new HashMap<>();
        now.facts().forEach((k, v) -> is.put(k, k.equals("type") ? v.toUpperCase(Locale.ROOT) : v));
        left.replaceAll((k, v) -> k.equals("type") ? v.toUpperCase(Locale.ROOT) : v);
        return left.equals(is) ? Optional.empty() : Optional.of(wanted.name() + " " + wanted.type() + " is " + is
                + " now, not " + left + " as the step left it");
    }

    /** A record set as read, from the API or from the evidence. */
    private record Seen(String type, String aliasTarget, Long ttl, List<String> values) {
    }

    private static Map<String, String> facts(Optional<Seen> found) {
        Map<String, String> facts = new HashMap<>();
        facts.put("record", found.isPresent() ? "present" : "absent");
        found.ifPresent(r -> {
            facts.put("type", r.type());
            if (r.aliasTarget() != null) {
                facts.put("alias_target", normal(r.aliasTarget()));
            }
            if (r.ttl() != null) {
                facts.put("ttl", String.valueOf(r.ttl()));
            }
            if (!r.values().isEmpty()) {
                facts.put("values", String.join(",", r.values()));
            }
        });
        return facts;
    }

    @Override
    public AppliedStep apply(String alertId, PlanStep step, Observation before) {
        Action.RecordSet wanted = record(step.action());
        ResourceRecordSet observed = (ResourceRecordSet) before.snapshot();
        List<Change> changes = new ArrayList<>();
        if (observed != null) {
            changes.add(change(ChangeAction.DELETE, observed));
        }
        if (step.action() instanceof Action.UpsertRecord) {
            changes.add(change(ChangeAction.CREATE, toSdk(wanted)));
        } else if (observed == null) {
            throw new StepFailedException("route53.delete_record: " + wanted.name() + " " + wanted.type()
                    + " does not exist", List.of(), null);
        }
        List<CallRecord> calls = new ArrayList<>();
        String changeId = submit(zoneId(wanted.hostedZoneId()), changes, "cloudops " + alertId + " " + step.id(), calls);
        if (!inSync(changeId, calls)) {
            // Route 53 accepted the batch: it is applied, settled or not, and rolled back as such.
            throw new StepFailedException("the change " + changeId + " was not INSYNC within "
                    + syncDeadline.toSeconds() + " s; Route 53 accepted it, so it counts as applied", calls, null,
                    new AppliedStep(step, before, calls, true, null));
        }
        return new AppliedStep(step, before, calls, true, null);
    }

    /**
     * Deletes exactly the record the step created (Route 53 refuses a DELETE whose values differ, so a record
     * someone changed since is left alone) and puts back exactly the one it replaced. Once Route 53 accepted
     * the restoring batch it is done: a rollback does not wait for it to settle, so it fits in the time kept.
     */
    @Override
    public Undone undo(AppliedStep applied, String version) {
        Action.RecordSet wanted = record(applied.step().action());
        ResourceRecordSet observed = (ResourceRecordSet) applied.before().snapshot();
        List<Change> changes = new ArrayList<>();
        if (applied.step().action() instanceof Action.UpsertRecord) {
            changes.add(change(ChangeAction.DELETE, toSdk(wanted)));
        }
        if (observed != null) {
            changes.add(change(ChangeAction.CREATE, observed));
        }
        List<CallRecord> calls = new ArrayList<>();
        submit(zoneId(wanted.hostedZoneId()), changes, "cloudops rollback of " + applied.step().id(), calls);
        return new Undone(calls, null);
    }

    /** Submits one batch; returns the change id, with the call recorded in {@code calls}. */
    private String submit(String zone, List<Change> changes, String comment, List<CallRecord> calls) {
        String described = changes.stream().map(c -> c.actionAsString() + " " + c.resourceRecordSet().name() + " "
                + c.resourceRecordSet().typeAsString() + " " + target(c.resourceRecordSet())).toList().toString();
        Instant start = clock.instant();
        ChangeResourceRecordSetsResponse response;
        try {
            response = route53.changeResourceRecordSets(b -> b.hostedZoneId(zone)
                    .changeBatch(batch -> batch.comment(comment).changes(changes)));
        } catch (SdkException e) {
            calls.add(new CallRecord("route53:ChangeResourceRecordSets", zone + " " + described, requestId(e),
                    "refused: " + message(e), Duration.between(start, clock.instant())));
            throw new StepFailedException("Route 53 refused the change: " + message(e), calls, e);
        }
        String changeId = response.changeInfo().id();
        calls.add(new CallRecord("route53:ChangeResourceRecordSets", zone + " " + described,
                response.responseMetadata().requestId(), response.changeInfo().statusAsString() + " " + changeId,
                Duration.between(start, clock.instant())));
        return changeId;
    }

    /** Polls the change until INSYNC or the deadline; records the last poll in {@code calls}. */
    private boolean inSync(String changeId, List<CallRecord> calls) {
        Instant start = clock.instant();
        Instant deadline = start.plus(syncDeadline);
        int polls = 0;
        while (true) {
            polls++;
            var change = route53.getChange(b -> b.id(changeId));
            boolean settled = change.changeInfo().status() == ChangeStatus.INSYNC;
            if (settled || !clock.instant().plus(pollInterval).isBefore(deadline)) {
                calls.add(new CallRecord("route53:GetChange", changeId + " (" + polls + " polls)",
                        change.responseMetadata().requestId(), change.changeInfo().statusAsString(),
                        Duration.between(start, clock.instant())));
                return settled;
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                calls.add(new CallRecord("route53:GetChange", changeId + " (" + polls + " polls)", "-",
                        "interrupted", Duration.between(start, clock.instant())));
                return false;
            }
        }
    }

    /**
     * The record set as a change must name it. An alias record has no TTL of its own (the API reference:
     * "If you're creating or updating an alias resource record set, omit TTL"), and a DELETE naming one with
     * both AliasTarget and TTL is refused (InvalidInput); moto lists alias records with {@code TTL 0}, so a TTL
     * read beside an alias target is dropped here, from the facts and from the snapshot a DELETE is made of.
     */
    static ResourceRecordSet asSpecified(ResourceRecordSet r) {
        return r.aliasTarget() != null && r.ttl() != null ? r.toBuilder().ttl(null).build() : r;
    }

    private static Change change(ChangeAction action, ResourceRecordSet set) {
        return Change.builder().action(action).resourceRecordSet(set).build();
    }

    static ResourceRecordSet toSdk(Action.RecordSet r) {
        ResourceRecordSet.Builder b = ResourceRecordSet.builder().name(r.name()).type(RRType.fromValue(r.type()));
        if (r.alias() != null) {
            b.aliasTarget(AliasTarget.builder().dnsName(r.alias().dnsName()).hostedZoneId(r.alias().hostedZoneId())
                    .evaluateTargetHealth(r.alias().evaluateTargetHealth()).build());
        } else {
            b.ttl(r.ttl()).resourceRecords(r.values().stream().map(v -> ResourceRecord.builder().value(v).build()).toList());
        }
        return b.build();
    }

    private static String target(ResourceRecordSet r) {
        return r.aliasTarget() != null ? "alias " + r.aliasTarget().dnsName()
                : r.resourceRecords().stream().map(ResourceRecord::value).toList() + " ttl " + r.ttl();
    }

    private static Action.RecordSet record(Action action) {
        return switch (action) {
            case Action.UpsertRecord u -> u.record();
            case Action.DeleteRecord d -> d.record();
            default -> throw new IllegalArgumentException("not a Route 53 action: " + action.name());
        };
    }

    /** A hosted zone id as plans may carry it: bare ({@code Z0123...}) or as Route 53 returns it ({@code /hostedzone/...}). */
    public static String zoneId(String id) {
        String trimmed = id.strip();
        return trimmed.startsWith("/hostedzone/") ? trimmed.substring("/hostedzone/".length()) : trimmed;
    }

    /** Route 53 answers names with a trailing dot and escapes '*' as \052. */
    static String normal(String name) {
        String n = name.replace("\\052", "*").toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    static String requestId(SdkException e) {
        return e instanceof AwsServiceException a && a.requestId() != null ? a.requestId() : "-";
    }

    /** The service's error code and message; the exception's name stands in for a code the SDK did not read. */
    static String message(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && a.awsErrorDetails().errorCode() != null) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName().replaceAll("Exception$", "") + ": " + e.getMessage();
    }
}
