package dev.cloudops.approval;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cloudops.approval.http.Forms;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.text.PlainText;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a decision's body (a form or a JSON object) and checks its fields. Anything malformed, ambiguous or
 * disguised is refused here as a {@link MalformedRequestException}, so it becomes a 400 with a reason, never a 5xx.
 */
final class DecisionBody {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private DecisionBody() {
    }

    /** The body's fields, by name; each field at most once. */
    static Map<String, String> read(HttpRequest request) {
        String type = request.contentType();
        if (type.equals("application/x-www-form-urlencoded")) {
            return Forms.parse(request.body(), "form");
        }
        if (type.equals("application/json")) {
            JsonNode node;
            try {
                node = StrictJson.MAPPER.readTree(request.body());
            } catch (StreamReadException e) {
                throw new MalformedRequestException(e.getOriginalMessage().startsWith("Duplicate field")
                        ? "the JSON body gives a field more than once (" + e.getOriginalMessage() + ")"
                        : "the body is not valid JSON");
            } catch (IOException e) {
                throw new MalformedRequestException("the body is not valid JSON");
            }
            if (node == null || !node.isObject()) {
                throw new MalformedRequestException("the body must be a JSON object");
            }
            Map<String, String> fields = new HashMap<>();
            for (var e : node.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new MalformedRequestException("'" + e.getKey() + "' must be a string");
                }
                fields.put(e.getKey(), e.getValue().asText());
            }
            return fields;
        }
        throw new MalformedRequestException("send the decision as application/x-www-form-urlencoded or "
                + "application/json" + (type.isEmpty() ? "" : ", not " + type));
    }

    /**
     * The hash of the plan the approving page showed, or null for "no plan" ({@link Pages#NO_PLAN}). An approval
     * without one could approve whatever the plan has become since, so it is not understood at all.
     */
    static String planShown(String field) {
        if (field == null) {
            throw new MalformedRequestException("plan_hash is missing: an approval names the plan it approves; "
                    + "reload the review page and approve from it");
        }
        if (field.equals(Pages.NO_PLAN)) {
            return null;
        }
        if (!SHA256.matcher(field).matches()) {
            throw new MalformedRequestException("plan_hash must be the plan's SHA-256 as 64 lower-case hex digits "
                    + "(or '" + Pages.NO_PLAN + "'), as the review page gives it");
        }
        return field;
    }

    /**
     * The hash of the session policy the approving page said approving grants, or null when it showed none (no
     * executor role, or a plan that grants no credentials). Whether one was needed, and whether it is the plan's
     * policy now, is the {@link DecisionRecorder}'s to check; here only its form.
     */
    static String policyShown(String field) {
        if (field != null && !SHA256.matcher(field).matches()) {
            throw new MalformedRequestException("policy_hash must be the session policy's SHA-256 as 64 lower-case "
                    + "hex digits, as the review page gives it");
        }
        return field;
    }

    /** A free-text field, null when absent: at most {@code max} characters, no control characters. */
    static String text(String value, String field, int max, boolean multiline) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new MalformedRequestException(field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
                throw new MalformedRequestException(field + " contains a control character");
            }
        }
        // A name is shown to others as who decided: no bidi override or zero-width mark may disguise it.
        if (!multiline && PlainText.hasInvisible(value)) {
            throw new MalformedRequestException(field + " contains an invisible formatting character (such as a "
                    + "bidi override or a zero-width mark); type it as plain text");
        }
        return value;
    }

    /**
     * A body that names a field twice is refused, as a form that does is: which one would count is a guess.
     * Built on the first JSON body, not while the function starts.
     */
    private static final class StrictJson {
        static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }
}
