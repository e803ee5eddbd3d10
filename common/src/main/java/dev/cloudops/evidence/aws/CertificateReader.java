package dev.cloudops.evidence.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.evidence.CertificateNames;
import dev.cloudops.evidence.EvidenceStatus;
import dev.cloudops.evidence.aws.EvidenceReads.Observed;
import dev.cloudops.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.CertificateSummary;

/**
 * Records the ACM certificate of the host: the one its distribution uses, or else one issued for the name,
 * with its status, expiry and pending validations, since an expired or unvalidated certificate is a common
 * cause of an outage.
 */
final class CertificateReader {

    private final AcmClient acm;
    private final Clock clock;

    CertificateReader(AcmClient acm, Clock clock) {
        this.acm = acm;
        this.clock = clock;
    }

    /** Records the certificate (the distribution's, or one issued for the host); returns its ARN. */
    Optional<String> certificate(EvidenceReads reads, String host, String arnInUse) {
        String arn = arnInUse;
        if (arn == null) {
            Optional<String> matching = reads.read("acm:ListCertificates", host, () -> {
                for (CertificateSummary c : acm.listCertificatesPaginator(b -> b.maxItems(100)).certificateSummaryList()) {
                    if (CertificateNames.covers(c.subjectAlternativeNameSummaries(), host)
                            || CertificateNames.covers(List.of(c.domainName()), host)) {
                        return Optional.of(c.certificateArn());
                    }
                }
                return Optional.empty();
            }, null);
            if (reads.failedLast()) {
                return Optional.empty();
            }
            if (matching.isEmpty()) {
                reads.add("acm:ListCertificates", host, EvidenceStatus.NOT_FOUND,
                        "no ACM certificate in us-east-1 covers " + host, null);
                return Optional.empty();
            }
            arn = matching.get();
        }
        String certificateArn = arn;
        return reads.read("acm:DescribeCertificate", certificateArn,
                () -> Optional.of(acm.describeCertificate(b -> b.certificateArn(certificateArn)).certificate()),
                c -> describe(c)).map(CertificateDetail::certificateArn);
    }

    private Observed describe(CertificateDetail c) {
        ObjectNode data = EvidenceReads.object();
        data.put("arn", c.certificateArn());
        data.put("domain_name", c.domainName());
        data.put("status", c.statusAsString());
        data.put("type", c.typeAsString());
        if (c.notAfter() != null) {
            data.put("not_after", c.notAfter().toString());
            data.put("days_left", Duration.between(clock.instant(), c.notAfter()).toDays());
        }
        if (c.renewalSummary() != null) {
            data.put("renewal_status", c.renewalSummary().renewalStatusAsString());
        }
        ArrayNode names = data.putArray("subject_alternative_names");
        c.subjectAlternativeNames().forEach(names::add);
        ArrayNode inUse = data.putArray("in_use_by");
        c.inUseBy().forEach(inUse::add);
        ArrayNode validations = data.putArray("validation");
        List<String> pending = new ArrayList<>();
        c.domainValidationOptions().forEach(v -> {
            ObjectNode node = validations.addObject();
            node.put("domain_name", v.domainName());
            node.put("status", v.validationStatusAsString());
            if (v.resourceRecord() != null) {
                node.put("record_name", v.resourceRecord().name());
                node.put("record_type", v.resourceRecord().typeAsString());
                node.put("record_value", v.resourceRecord().value());
            }
            if (!"SUCCESS".equals(v.validationStatusAsString())) {
                pending.add(v.domainName() + " " + v.validationStatusAsString());
            }
        });
        String summary = "certificate for " + c.domainName() + " is " + c.statusAsString()
                + (c.notAfter() == null ? "" : ", expires " + Timestamps.forPeople(c.notAfter()) + " ("
                + Timestamps.days(data.get("days_left").asLong()) + ")")
                + (c.renewalSummary() == null ? "" : ", renewal " + c.renewalSummary().renewalStatusAsString())
                + (pending.isEmpty() ? "" : ", validation pending for " + pending);
        return new Observed(EvidenceStatus.OK, summary, data);
    }
}
