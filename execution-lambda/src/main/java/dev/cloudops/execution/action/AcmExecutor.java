package dev.cloudops.execution.action;

import static dev.cloudops.execution.action.Route53Executor.message;
import static dev.cloudops.execution.action.Route53Executor.normal;
import static dev.cloudops.execution.action.Route53Executor.requestId;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.evidence.CertificateNames;
import dev.cloudops.evidence.ZoneNames;
import dev.cloudops.evidence.aws.PublicZones;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.PlanStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateStatus;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.acm.model.DomainValidation;
import software.amazon.awssdk.services.acm.model.ValidationMethod;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * {@code acm.request_certificate}: requests a DNS-validated certificate (idempotent per alert and step),
 * then upserts the validation record ACM asks for in the public hosted zone of the name (the nearest zone
 * found walking up the name's labels, as the evidence collector finds it), so ACM can issue it.
 * Irreversible: a requested certificate is left for a person to delete if unwanted.
 */
public final class AcmExecutor implements StepExecutor {

    private final AcmClient acm;
    private final Route53Client route53;
    private final Clock clock;
    private final Duration validationDeadline;
    private final Duration pollInterval;

    public AcmExecutor(AcmClient acm, Route53Client route53, Clock clock, Duration validationDeadline,
            Duration pollInterval) {
        this.acm = acm;
        this.route53 = route53;
        this.clock = clock;
        this.validationDeadline = validationDeadline;
        this.pollInterval = pollInterval;
    }

    @Override
    public boolean handles(Action action) {
        return action instanceof Action.RequestCertificate;
    }

    @Override
    public List<String> resources(Action action) {
        return List.of("acm:" + normal(((Action.RequestCertificate) action).domainName()));
    }

    @Override
    public Observation observe(PlanStep step) {
        String domain = ((Action.RequestCertificate) step.action()).domainName();
        boolean covered = false;
        for (CertificateSummary c : acm.listCertificatesPaginator(b -> b.certificateStatuses(CertificateStatus.ISSUED))
                .certificateSummaryList()) {
            List<String> names = new ArrayList<>(c.subjectAlternativeNameSummaries());
            names.add(c.domainName());
            covered |= CertificateNames.covers(names, domain);
        }
        return new Observation(Map.of("covers_host", String.valueOf(covered)), null);
    }

    /**
     * Whether an issued certificate covered the name when the analysis read the account's certificates;
     * empty when it read none.
     */
    @Override
    public Optional<Map<String, String>> analysed(PlanStep step, JsonNode evidence) {
        String domain = ((Action.RequestCertificate) step.action()).domainName();
        boolean read = false;
        boolean covered = false;
        for (JsonNode item : evidence == null ? List.<JsonNode>of() : evidence) {
            if (!item.path("source").asText().startsWith("acm:")) {
                continue;
            }
            read = true;
            JsonNode data = item.path("data");
            if ("ISSUED".equals(data.path("status").asText())) {
                List<String> names = new ArrayList<>();
                names.add(data.path("domain_name").asText());
                data.path("subject_alternative_names").forEach(n -> names.add(n.asText()));
                covered |= CertificateNames.covers(names, domain);
            }
        }
        return read ? Optional.of(Map.of("covers_host", String.valueOf(covered))) : Optional.empty();
    }

    @Override
    public AppliedStep apply(String alertId, PlanStep step, Observation before) {
        Action.RequestCertificate request = (Action.RequestCertificate) step.action();
        List<CallRecord> calls = new ArrayList<>();
        String token = (alertId + step.id()).replaceAll("[^A-Za-z0-9]", "");
        token = token.substring(Math.max(0, token.length() - 32));
        String idempotency = token;
        Instant start = clock.instant();
        String arn;
        try {
            var response = acm.requestCertificate(b -> b.domainName(request.domainName())
                    .subjectAlternativeNames(request.subjectAlternativeNames().isEmpty() ? null
                            : request.subjectAlternativeNames())
                    .validationMethod(ValidationMethod.DNS).idempotencyToken(idempotency));
            arn = response.certificateArn();
            calls.add(new CallRecord("acm:RequestCertificate", request.domainName() + " SANs "
                    + request.subjectAlternativeNames() + " DNS validation", response.responseMetadata().requestId(),
                    arn, Duration.between(start, clock.instant())));
        } catch (SdkException e) {
            calls.add(new CallRecord("acm:RequestCertificate", request.domainName(), requestId(e),
                    "refused: " + message(e), Duration.between(start, clock.instant())));
            throw new StepFailedException("ACM refused the certificate request: " + message(e), calls, e);
        }
        try {
            for (DomainValidation v : validationRecords(arn, calls)) {
                upsertValidation(v, calls);
            }
        } catch (StepFailedException e) {
            // The certificate was requested: that is applied (and irreversible), whatever came after.
            throw new StepFailedException(e.getMessage(), calls, e.getCause(),
                    new AppliedStep(step, before, calls, false, null));
        }
        return new AppliedStep(step, before, calls, false, null);
    }

    /** Never asked: the step is irreversible, so nothing rolls it back. */
    @Override
    public Optional<String> changedSince(PlanStep step, Observation now, String version) {
        return Optional.of("a requested certificate is not rolled back");
    }

    @Override
    public Undone undo(AppliedStep applied, String version) {
        return new Undone(List.of(), version);
    }

    private List<DomainValidation> validationRecords(String arn, List<CallRecord> calls) {
        Instant start = clock.instant();
        Instant deadline = start.plus(validationDeadline);
        while (true) {
            var described = acm.describeCertificate(b -> b.certificateArn(arn));
            List<DomainValidation> options = described.certificate().domainValidationOptions();
            if (!options.isEmpty() && options.stream().allMatch(o -> o.resourceRecord() != null)) {
                calls.add(new CallRecord("acm:DescribeCertificate", arn, described.responseMetadata().requestId(),
                        options.size() + (options.size() == 1 ? " validation record" : " validation records"),
                        Duration.between(start, clock.instant())));
                return options;
            }
            if (!clock.instant().plus(pollInterval).isBefore(deadline)) {
                throw new StepFailedException("ACM did not name the validation records of " + arn + " within "
                        + validationDeadline.toSeconds() + " s", calls, null);
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for " + arn, calls, e);
            }
        }
    }

    /** The nearest public zone named like the host or one of its parents. */
    private Optional<HostedZone> publicZone(String host) {
        for (String candidate : ZoneNames.candidates(host)) {
            Optional<HostedZone> found = PublicZones.named(route53, candidate);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private void upsertValidation(DomainValidation v, List<CallRecord> calls) {
        String name = v.resourceRecord().name();
        Optional<HostedZone> zone = publicZone(v.domainName());
        if (zone.isEmpty()) {
            throw new StepFailedException("no public hosted zone serves " + v.domainName()
                    + "; create the validation record " + name + " by hand", calls, null);
        }
        String zoneId = Route53Executor.zoneId(zone.get().id());
        Instant start = clock.instant();
        try {
            var response = route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(batch -> batch
                    .comment("ACM validation for " + v.domainName()).changes(c -> c.action(ChangeAction.UPSERT)
                            .resourceRecordSet(r -> r.name(name).type(RRType.fromValue(v.resourceRecord().typeAsString()))
                                    .ttl(300L).resourceRecords(rr -> rr.value(v.resourceRecord().value()))))));
            calls.add(new CallRecord("route53:ChangeResourceRecordSets", zoneId + " UPSERT " + name + " "
                    + v.resourceRecord().typeAsString() + " " + v.resourceRecord().value(),
                    response.responseMetadata().requestId(), response.changeInfo().statusAsString(),
                    Duration.between(start, clock.instant())));
        } catch (SdkException e) {
            calls.add(new CallRecord("route53:ChangeResourceRecordSets", zoneId + " UPSERT " + name, requestId(e),
                    "refused: " + message(e), Duration.between(start, clock.instant())));
            throw new StepFailedException("Route 53 refused the validation record: " + message(e), calls, e);
        }
    }
}
