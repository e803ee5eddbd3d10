package dev.cloudops.execution.precheck;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.DomainValidation;

/** Certificate facts ({@code status}, {@code validation_status}, {@code renewal_status}) read again from ACM. */
public final class AcmEvidenceFacts implements EvidenceFacts {

    private final AcmClient acm;

    public AcmEvidenceFacts(AcmClient acm) {
        this.acm = acm;
    }

    @Override
    public Map<String, String> read(JsonNode item) {
        if (!"acm:DescribeCertificate".equals(item.path("source").asText())) {
            return Map.of();
        }
        String arn = item.path("data").path("arn").asText(item.path("subject").asText());
        var certificate = acm.describeCertificate(b -> b.certificateArn(arn)).certificate();
        Map<String, String> facts = new HashMap<>();
        facts.put("status", certificate.statusAsString());
        if (certificate.renewalSummary() != null) {
            facts.put("renewal_status", certificate.renewalSummary().renewalStatusAsString());
        }
        String validation = "SUCCESS";
        for (DomainValidation v : certificate.domainValidationOptions()) {
            if (!"SUCCESS".equals(v.validationStatusAsString()) && v.resourceRecord() != null) {
                validation = v.validationStatusAsString();
                break;
            }
        }
        facts.put("validation_status", validation);
        return facts;
    }
}
