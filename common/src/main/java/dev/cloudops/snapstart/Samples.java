package dev.cloudops.snapstart;

import dev.cloudops.alert.Actor;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.Analysis;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.IssueType;
import dev.cloudops.alert.Severity;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Values the functions' SnapStart warm-ups work on: never stored, never sent. */
public final class Samples {

    /** A valid plan of one manual step. */
    public static final String PLAN = "{\"version\":1,\"summary\":\"SnapStart priming\",\"steps\":[{\"id\":\"S1\","
            + "\"action\":\"manual.step\",\"parameters\":{\"instructions\":\"none\"},"
            + "\"inverse\":{\"irreversible\":\"nothing to undo\"},\"risk\":\"low\"}]}";
    public static final String ALERT_ID = "00000000000000000000000000";

    private Samples() {
    }

    /** {@link #PLAN} read and validated as every function reads plans. */
    public static PlanParse.Valid plan() {
        if (!(PlanJson.parse(PLAN) instanceof PlanParse.Valid valid)) {
            throw new IllegalStateException("the sample plan no longer validates");
        }
        return valid;
    }

    /** An alert analysed by the rules, with {@link #PLAN}, waiting for one approval. */
    public static Alert pendingAlert(Instant at) {
        Actor monitor = Actor.system("monitor");
        Alert detected = Alert.detect(ALERT_ID, at, URI.create("https://www.example.com/health"), IssueType.HTTP_ERROR,
                Severity.HIGH, "HTTP 503 (sample)", monitor);
        PlanParse.Valid plan = plan();
        return detected.analyze(new Analysis(Analyzer.RULES, null, "Sample analysis.", "analyses/sample.md", null,
                "evidence/sample.json", plan.canonicalJson(), plan.planHash(), 1, List.of("CloudFront"), "none", null),
                Actor.system("rules"), at).after();
    }
}
