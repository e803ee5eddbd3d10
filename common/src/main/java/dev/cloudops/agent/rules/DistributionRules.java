package dev.cloudops.agent.rules;

import static dev.cloudops.agent.rules.PlanSteps.manualPlan;

import dev.cloudops.agent.Incident;
import dev.cloudops.alert.IssueType;
import dev.cloudops.evidence.EvidenceItem;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Permission;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanStep;
import dev.cloudops.plan.Precondition;
import dev.cloudops.plan.Risk;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules about the state of the CloudFront distribution itself: still deploying, disabled, or healthy while the
 * site times out. They change when what CloudFront reports about a distribution does.
 */
final class DistributionRules {

    private DistributionRules() {
    }

    /** The distribution is still deploying a change. */
    static Optional<Diagnosis> deploying(EvidenceReader f) {
        return f.ok("cloudfront:GetDistribution")
                .filter(d -> "InProgress".equalsIgnoreCase(d.data().get("status").asText()))
                .map(d -> new Diagnosis("The CloudFront distribution is still deploying",
                        "Distribution " + d.data().get("id").asText() + " is InProgress since "
                                + d.data().get("last_modified").asText() + "; edge locations may serve the old or a "
                                + "partial configuration until it is Deployed.",
                        List.of(new Diagnosis.Finding("Distribution status InProgress", d.id(), "medium")),
                        List.of("Wait for the distribution to reach Deployed (usually minutes), then probe again."),
                        List.of("Deploy distribution changes outside peak hours and watch their status."),
                        manualPlan("Wait until distribution " + d.data().get("id").asText()
                                + " is Deployed, then check the site again; change nothing while it deploys."),
                        List.of("CloudFront"), "Some visitors may see errors until the deployment finishes."));
    }

    /** The distribution is disabled. */
    static Optional<Diagnosis> disabled(EvidenceReader f) {
        return f.ok("cloudfront:GetDistribution").filter(d -> !d.data().get("enabled").asBoolean()).map(d -> {
            String id = d.data().get("id").asText();
            Plan plan = new Plan("Re-enable distribution " + id + ".", List.of(
                    new PlanStep("S1", new Action.SetEnabled(id, true),
                            Precondition.of(d.id(), Map.of("enabled", "false", "etag", d.data().get("etag").asText())),
                            new Inverse.Undo(new Action.SetEnabled(id, false)), Risk.MEDIUM,
                            new Permission("cloudfront:UpdateDistribution", d.data().get("arn").asText()))));
            return new Diagnosis("The CloudFront distribution is disabled",
                    "Distribution " + id + " that serves the site is disabled, so CloudFront refuses its requests.",
                    List.of(new Diagnosis.Finding("Distribution " + id + " is disabled", d.id(), "critical")),
                    List.of("Enable distribution " + id + " and wait until it is Deployed."),
                    List.of("Restrict cloudfront:UpdateDistribution on production distributions to the deploy role."),
                    plan, List.of("CloudFront"), "The site is down for everyone.");
        });
    }

    /** A timeout with nothing wrong on the AWS side. */
    static Optional<Diagnosis> timeoutWithoutFault(Incident incident, EvidenceReader f) {
        if (incident.issueType() != IssueType.TIMEOUT) {
            return Optional.empty();
        }
        Optional<EvidenceItem> distribution = f.ok("cloudfront:GetDistribution")
                .filter(d -> d.data().get("enabled").asBoolean()
                        && "Deployed".equalsIgnoreCase(d.data().get("status").asText()));
        if (distribution.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Diagnosis("The site timed out with no fault found on the AWS side",
                "The distribution is enabled and deployed and nothing changed recently; the timeout is likely on the "
                        + "origin or the network path.",
                List.of(new Diagnosis.Finding(distribution.get().summary(), distribution.get().id(), "info")),
                List.of("Check the origin's health and latency, and CloudFront's origin latency metrics."),
                List.of("Alarm on CloudFront OriginLatency and 5xx rate."),
                manualPlan("Check the origin of distribution " + distribution.get().data().get("id").asText()
                        + " (health, latency, capacity) and the network path; nothing in the account looks wrong."),
                List.of("CloudFront"), "Visitors wait and may give up."));
    }
}
