package dev.cloudops.execution.action;

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
 * fail), then waits for INSYNC until a deadline.
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
        return List.of("route53:" + r.hostedZoneId() + "/" + normal(r.name()) + "/" + r.type().toUpperCase(Locale.ROOT));
    }

    @Override
    public Observation observe(PlanStep step) {
        Action.RecordSet wanted = record(step.action());
        ListResourceRecordSetsResponse response = route53.listResourceRecordSets(b -> b.hostedZoneId(wanted.hostedZoneId())
                .startRecordName(wanted.name()).startRecordType(wanted.type()).maxItems("1"));
        Optional<ResourceRecordSet> found = response.resourceRecordSets().stream()
                .filter(r -> normal(r.name()).equals(normal(wanted.name()))
                        && r.typeAsString().equalsIgnoreCase(wanted.type()))
                .findFirst();
        Map<String, String> facts = new HashMap<>();
        facts.put("record", found.isPresent() ? "present" : "absent");
        found.ifPresent(r -> {
            facts.put("type", r.typeAsString());
            if (r.aliasTarget() != null) {
                facts.put("alias_target", normal(r.aliasTarget().dnsName()));
            }
            if (r.ttl() != null) {
                facts.put("ttl", String.valueOf(r.ttl()));
            }
            if (r.hasResourceRecords()) {
                facts.put("values", String.join(",", r.resourceRecords().stream().map(ResourceRecord::value).toList()));
            }
        });
        return new Observation(facts, found.orElse(null));
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
        List<CallRecord> calls = submit(wanted.hostedZoneId(), changes, "cloudops " + alertId + " " + step.id());
        return new AppliedStep(step, before, calls, true);
    }

    @Override
    public List<CallRecord> undo(AppliedStep applied) {
        Action.RecordSet wanted = record(applied.step().action());
        ResourceRecordSet observed = (ResourceRecordSet) applied.before().snapshot();
        List<Change> changes = new ArrayList<>();
        if (applied.step().action() instanceof Action.UpsertRecord) {
            changes.add(change(ChangeAction.DELETE, toSdk(wanted)));
        }
        if (observed != null) {
            changes.add(change(ChangeAction.CREATE, observed));
        }
        return submit(wanted.hostedZoneId(), changes, "cloudops rollback of " + applied.step().id());
    }

    private List<CallRecord> submit(String zone, List<Change> changes, String comment) {
        List<CallRecord> calls = new ArrayList<>();
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
        waitInSync(changeId, calls);
        return calls;
    }

    private void waitInSync(String changeId, List<CallRecord> calls) {
        Instant start = clock.instant();
        Instant deadline = start.plus(syncDeadline);
        int polls = 0;
        while (true) {
            polls++;
            var change = route53.getChange(b -> b.id(changeId));
            if (change.changeInfo().status() == ChangeStatus.INSYNC) {
                calls.add(new CallRecord("route53:GetChange", changeId + " (" + polls + " polls)",
                        change.responseMetadata().requestId(), "INSYNC", Duration.between(start, clock.instant())));
                return;
            }
            if (!clock.instant().plus(pollInterval).isBefore(deadline)) {
                calls.add(new CallRecord("route53:GetChange", changeId + " (" + polls + " polls)",
                        change.responseMetadata().requestId(), change.changeInfo().statusAsString(),
                        Duration.between(start, clock.instant())));
                throw new StepFailedException("the change " + changeId + " was not INSYNC within "
                        + syncDeadline.toSeconds() + " s", calls, null);
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for " + changeId, calls, e);
            }
        }
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
