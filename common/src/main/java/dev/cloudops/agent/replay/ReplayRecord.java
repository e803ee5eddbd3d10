package dev.cloudops.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the analysis of one recorded incident came to ({@code expected.json} when recorded, or today's replay): the
 * rule engine's outcome, the recorded model answer's outcome under the plan checks when there is one, and which of
 * the two the pipeline takes (the model's when its plan passes the checks, else the rule engine's).
 */
public record ReplayRecord(AnalysisOutcome rules, AnalysisOutcome modelAnswer) {

    /** The version of {@code expected.json} this code writes and reads. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ReplayRecord {
        Objects.requireNonNull(rules, "rules");
    }

    /** {@code bedrock} when the model answer's plan passes the checks, else {@code rules}, as the analysis decides. */
    public String accepted() {
        return modelAnswer != null && modelAnswer.plan() != null ? "bedrock" : "rules";
    }

    /** The outcome the pipeline acts on. */
    public AnalysisOutcome acceptedOutcome() {
        return "bedrock".equals(accepted()) ? modelAnswer : rules;
    }

    /** How today's record differs from {@code recorded}, each phrase naming the analyser and the field. */
    public List<String> differencesFrom(ReplayRecord recorded) {
        List<String> out = new ArrayList<>();
        rules.differencesFrom(recorded.rules).forEach(d -> out.add("rules: " + d));
        if ((recorded.modelAnswer == null) != (modelAnswer == null)) {
            out.add(modelAnswer == null ? "model answer: recorded in expected.json but model-answer.md is gone"
                    : "model answer: model-answer.md is present but expected.json has no outcome for it");
        } else if (modelAnswer != null) {
            modelAnswer.differencesFrom(recorded.modelAnswer).forEach(d -> out.add("model answer: " + d));
        }
        if (!recorded.accepted().equals(accepted())) {
            out.add("accepted analyser " + recorded.accepted() + " -> " + accepted());
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT).put("accepted", accepted());
        root.set("rules", rules.toJson());
        if (modelAnswer != null) {
            root.set("model_answer", modelAnswer.toJson());
        }
        return root;
    }

    /** Reads what {@link #toJson} writes; a missing, mistyped or inconsistent field is named. */
    public static ReplayRecord fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected outcomes are a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isInt() || format.asInt() != FORMAT) {
            throw new IllegalArgumentException("$.format: " + (format == null ? "missing" : format.toString())
                    + ", this code reads format " + FORMAT);
        }
        JsonNode model = root.get("model_answer");
        ReplayRecord record = new ReplayRecord(AnalysisOutcome.fromJson(root.get("rules"), "$.rules"),
                model == null || model.isNull() ? null : AnalysisOutcome.fromJson(model, "$.model_answer"));
        String accepted = AnalysisOutcome.text(root, "$", "accepted");
        if (!accepted.equals(record.accepted())) {
            throw new IllegalArgumentException("$.accepted: '" + accepted + "' contradicts the outcomes, which make it '"
                    + record.accepted() + "'");
        }
        return record;
    }
}
