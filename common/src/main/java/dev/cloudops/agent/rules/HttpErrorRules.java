package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.PlanSteps.manualPlan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.evidence.EvidenceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for a site that answers with an HTTP error: CloudFront denied by its S3 origin, errors since a recent
 * change, and a server error a probe alone sees. They change when the way HTTP failures are explained does.
 */
final class HttpErrorRules {

    private static final Pattern STATUS = Pattern.compile("answered (\\d{3})");
    private static final Pattern S3_ORIGIN =
            Pattern.compile("^(.+?)\\.s3(?:-website)?(?:[.-][a-z0-9-]+)?\\.amazonaws\\.com$");

    private HttpErrorRules() {
    }

    /** CloudFront gets 403 AccessDenied from its S3 origin. */
    static Optional<Diagnosis> originAccessDenied(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.HTTP_ERROR || status(incident) != 403) {
            return Optional.empty();
        }
        Optional<EvidenceItem> distribution = f.ok("cloudfront:GetDistribution");
        Optional<String> bucket = distribution.flatMap(d -> {
            for (JsonNode o : d.data().path("origins")) {
                Matcher m = S3_ORIGIN.matcher(o.path("domain_name").asText());
                if (m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
            return Optional.empty();
        });
        if (bucket.isEmpty()) {
            return Optional.empty();
        }
        String oac = distribution.get().data().at("/origins/0/origin_access_control_id").asText("");
        List<Diagnosis.Finding> findings = new ArrayList<>(List.of(new Diagnosis.Finding(
                "The distribution reads from S3 bucket " + bucket.get() + (oac.isEmpty() ? " without an origin access "
                        + "control" : " through origin access control " + oac), distribution.get().id(), "high")));
        f.ok("s3:GetBucketPolicyStatus").ifPresent(p -> findings.add(new Diagnosis.Finding(p.summary(), p.id(), "info")));
        f.ok("s3:GetPublicAccessBlock").ifPresent(p -> findings.add(new Diagnosis.Finding(p.summary(), p.id(), "info")));
        f.any("s3:HeadBucket").filter(h -> h.status() != EvidenceStatus.OK).ifPresent(h -> findings.add(
                new Diagnosis.Finding(h.summary(), h.id(), "critical")));
        String instructions = "Check the bucket policy of " + bucket.get() + ": it must allow s3:GetObject to the "
                + "CloudFront service principal for distribution " + distribution.get().data().get("id").asText()
                + (oac.isEmpty() ? " (the origin has no origin access control: add one)" : " (via OAC " + oac + ")")
                + ", and the objects must exist.";
        return Optional.of(new Diagnosis("CloudFront is denied access to its S3 origin",
                "The site answers 403: CloudFront cannot read bucket " + bucket.get()
                        + "; the bucket policy or the origin access control does not grant it.",
                findings, List.of(instructions), List.of("Manage the bucket policy and the OAC in one stack."),
                manualPlan(instructions), List.of("CloudFront", "S3"), "Visitors get 403 errors."));
    }

    /** 5xx after a recent change to one of the resources. */
    static Optional<Diagnosis> errorsAfterChange(Incident incident, EvidenceReader f) {
        int status = status(incident);
        if (incident.issueType() != IssueType.HTTP_ERROR || status < 500) {
            return Optional.empty();
        }
        for (EvidenceItem trail : f.pack().items()) {
            if (trail.source().equals("cloudtrail:LookupEvents") && trail.status() == EvidenceStatus.OK
                    && trail.data().path("events").size() > 0) {
                JsonNode event = trail.data().path("events").get(0);
                String change = event.path("name").asText() + " by " + event.path("user").asText() + " at "
                        + event.path("time").asText() + " on " + trail.subject();
                return Optional.of(new Diagnosis("The site fails since a recent change",
                        "The site answers " + status + " and the last write to " + trail.subject() + " was " + change
                                + "; the change is the most likely cause.",
                        List.of(new Diagnosis.Finding("Recent change: " + change, trail.id(), "high")),
                        List.of("Review and roll back " + change + "."),
                        List.of("Deploy changes through a pipeline with a health check and automatic rollback."),
                        manualPlan("Roll back " + change + " (CloudTrail event " + event.path("event_id").asText()
                                + "), then check the site."),
                        List.of(serviceOf(event.path("source").asText())), "Visitors get " + status + " errors."));
            }
        }
        return Optional.empty();
    }

    /** Only a probe was read: the site answers with a server error. */
    static Optional<Diagnosis> serverErrorSeenByProbe(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.HTTP_ERROR) {
            return Optional.empty();
        }
        return f.ok("probe:HTTP").filter(h -> h.data().path("status").asInt() >= 500).map(http -> {
            int status = http.data().path("status").asInt();
            JsonNode headers = http.data().path("headers");
            String edge = headers.path("x-cache").asText(headers.path("X-Cache").asText(""));
            String via = edge.isEmpty() ? "" : " (x-cache: " + edge + ")";
            return new Diagnosis(incident.host() + " answers HTTP " + status,
                    incident.host() + " answers " + status + via + ": the server or the origin behind the CDN fails. "
                            + "Only the probe was read, so the failing component is not known.",
                    List.of(new Diagnosis.Finding("HTTP " + status + via, http.id(), "high")),
                    List.of("Check the health and logs of the origin of " + incident.host() + "."),
                    List.of("Alarm on the origin's 5xx rate before visitors see it."),
                    manualPlan("Find why " + incident.url() + " answers " + status + via + ": check the origin's health "
                            + "and logs, then probe again."),
                    List.of("HTTP"), "Visitors get errors.");
        });
    }

    /** The HTTP status the probe reports in its details, or -1 if it reports none. */
    private static int status(Incident incident) {
        Matcher m = STATUS.matcher(incident.errorDetails());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The service a CloudTrail event source names, as the report names it. */
    private static String serviceOf(String eventSource) {
        return switch (eventSource) {
            case "cloudfront.amazonaws.com" -> "CloudFront";
            case "route53.amazonaws.com" -> "Route 53";
            case "s3.amazonaws.com" -> "S3";
            case "acm.amazonaws.com" -> "ACM";
            default -> eventSource;
        };
    }
}
