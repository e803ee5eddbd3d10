package dev.cloudops.plan;

import java.util.List;
import java.util.Map;

/** A plan that uses every action of the catalog once, as an analyser would write it. */
final class PlanFixtures {

    static final String ZONE = "Z0123456789ABCDEFGHIJ";
    static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    static final String CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-123456789abc";

    private PlanFixtures() {
    }

    static Plan everyAction() {
        Action.RecordSet alias = new Action.RecordSet(ZONE, "shop.example.com", "A", null, null,
                new Action.Alias("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", false));
        Action.RecordSet validation = new Action.RecordSet(ZONE, "_3639ac514e785e898d2646601fa951d5.shop.example.com",
                "CNAME", 300L, List.of("_98d0e76f4be8a3ea1d4cf1a3f4b3f1a1.mzlfeqexyx.acm-validations.aws."), null);
        String zoneArn = "arn:aws:route53:::hostedzone/" + ZONE;
        String distributionArn = "arn:aws:cloudfront::123456789012:distribution/" + DISTRIBUTION;
        return new Plan("Restore the alias record and re-enable the distribution.", List.of(
                new PlanStep("S1", new Action.UpsertRecord(alias),
                        Precondition.of("E1", Map.of("record", "absent")),
                        new Inverse.Undo(new Action.DeleteRecord(alias)), Risk.MEDIUM,
                        new Permission("route53:ChangeResourceRecordSets", zoneArn)),
                new PlanStep("S2", new Action.SetEnabled(DISTRIBUTION, true),
                        Precondition.of("E2", Map.of("enabled", "false", "etag", "E2QWRUHAPOMQZL", "status", "Deployed")),
                        new Inverse.Undo(new Action.SetEnabled(DISTRIBUTION, false)), Risk.MEDIUM,
                        new Permission("cloudfront:UpdateDistribution", distributionArn)),
                new PlanStep("S3", new Action.CreateInvalidation(DISTRIBUTION, List.of("/index.html", "/*")),
                        Precondition.of("E2", Map.of("status", "Deployed")),
                        new Inverse.Irreversible("an invalidation only empties caches; there is nothing to undo"),
                        Risk.LOW, new Permission("cloudfront:CreateInvalidation", distributionArn)),
                new PlanStep("S4", new Action.SetOrigin(DISTRIBUTION, "shop-origin", "shop-site.s3.eu-west-1.amazonaws.com"),
                        Precondition.of("E2", Map.of("origin_domain", "old-shop.s3.eu-west-1.amazonaws.com")),
                        new Inverse.Undo(new Action.SetOrigin(DISTRIBUTION, "shop-origin",
                                "old-shop.s3.eu-west-1.amazonaws.com")), Risk.HIGH,
                        new Permission("cloudfront:UpdateDistribution", distributionArn)),
                new PlanStep("S5", new Action.SetViewerCertificate(DISTRIBUTION, CERTIFICATE, "TLSv1.2_2021"),
                        Precondition.of("E3", Map.of("certificate_arn", "none")),
                        new Inverse.Irreversible("the previous certificate has expired and cannot be served again"),
                        Risk.HIGH, new Permission("cloudfront:UpdateDistribution", distributionArn)),
                new PlanStep("S6", new Action.RequestCertificate("shop.example.com", List.of("www.shop.example.com")),
                        Precondition.of("E3", Map.of("issued_certificate", "none")),
                        new Inverse.Irreversible("a requested certificate is left unused; delete it by hand if unwanted"),
                        Risk.LOW, new Permission("acm:RequestCertificate", "*")),
                new PlanStep("S7", new Action.UpsertRecord(validation),
                        Precondition.of("E4", Map.of("record", "absent")),
                        new Inverse.Undo(new Action.DeleteRecord(validation)), Risk.LOW,
                        new Permission("route53:ChangeResourceRecordSets", zoneArn)),
                new PlanStep("S8", new Action.ManualStep("Check that the S3 bucket policy allows the distribution's OAC."),
                        null, new Inverse.Irreversible("not executed: for a person"), Risk.LOW, null)));
    }
}
