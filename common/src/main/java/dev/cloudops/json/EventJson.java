package dev.cloudops.json;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.cloudops.CloudopsException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * Binds the JSON Lambda invokes a function with into the aws-lambda-java-events types, and writes those
 * types back, with the project's Jackson. The names are the ones Lambda's own serializer
 * (aws-lambda-java-serialization) maps them to: SNS's {@code Records}, {@code Sns}, {@code EventSource},
 * {@code MessageAttributes}... in upper camel case, and EventBridge's {@code detail-type} (HTTP API's names,
 * {@code isBase64Encoded} included, are the types' own); the events' Joda {@code DateTime} fields as ISO-8601 instants in UTC. Unknown
 * fields are ignored (AWS adds fields to its events). The JWT authorizer's claims are strings; a claim
 * given as a JSON array is joined as the authorizer writes arrays, {@code "[a b]"}.
 *
 * <p>Handlers keep {@code RequestStreamHandler} as their entry point and bind here, so an event that does
 * not bind is theirs to refuse with a clear reason (the approval function answers 400), instead of the
 * runtime failing before their code runs.
 */
public final class EventJson {

    private volatile ObjectMapper json; // built on first use: the handlers construct one during INIT

    /** Cheap: the mapper, its mix-ins and the event classes are loaded on first use (or by SnapStart priming). */
    public EventJson() {
    }

    private ObjectMapper json() {
        ObjectMapper mapper = json;
        if (mapper == null) {
            synchronized (this) {
                mapper = json;
                if (mapper == null) {
                    json = mapper = build();
                }
            }
        }
        return mapper;
    }

    private static ObjectMapper build() {
        SimpleModule joda = new SimpleModule("joda-instants");
        joda.addDeserializer(DateTime.class, new InstantDateTime());
        joda.addSerializer(DateTime.class, new DateTimeInstant());
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addMixIn(SNSEvent.class, SnsEventNames.class)
                .addMixIn(SNSEvent.SNSRecord.class, SnsRecordNames.class)
                .addMixIn(SNSEvent.SNS.class, SnsNames.class)
                .addMixIn(SNSEvent.MessageAttribute.class, SnsNames.class)
                .addMixIn(ScheduledEvent.class, ScheduledEventNames.class)
                .addMixIn(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.class, JwtClaims.class)
                .addMixIn(APIGatewayV2HTTPResponse.class, ResponseNames.class)
                .addModule(joda)
                .build();
    }

    /** The event as a JSON tree, so a function invoked by several triggers can tell them apart. */
    public JsonNode tree(byte[] event) {
        JsonNode root;
        try {
            root = json().readTree(event);
        } catch (IOException e) {
            throw new UnreadableEventException("the event is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new UnreadableEventException("the event must be a JSON object");
        }
        return root;
    }

    /**
     * The event bound into {@code type}.
     *
     * @throws UnreadableEventException naming the field that does not fit the type, and why
     */
    public <T> T read(JsonNode event, Class<T> type) {
        try {
            return json().treeToValue(event, type);
        } catch (JsonMappingException e) {
            throw new UnreadableEventException("not a valid " + type.getSimpleName() + ": " + where(e) + " "
                    + problem(e));
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("not a valid " + type.getSimpleName() + ": "
                    + firstLine(e.getOriginalMessage()));
        }
    }

    /** As {@link #read(JsonNode, Class)}, from the bytes Lambda passes. */
    public <T> T read(byte[] event, Class<T> type) {
        return read(tree(event), type);
    }

    /** The JSON Lambda expects back, e.g. of an {@code APIGatewayV2HTTPResponse}; nulls left out. */
    public byte[] write(Object value) {
        try {
            return json().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event type always serialises", e);
        }
    }

    /** A JSON tree of any value (the functions' reports), with this mapper's settings. */
    public JsonNode valueToTree(Object value) {
        return json().valueToTree(value);
    }

    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the event" : "'" + path + "'";
    }

    private static String problem(JsonMappingException e) {
        String m = firstLine(e.getOriginalMessage());
        if (m.startsWith("Cannot deserialize value of type")) {
            int from = m.indexOf(" from ");
            String target = m.substring("Cannot deserialize value of type".length(), from < 0 ? m.length() : from)
                    .replaceAll("[`]|java\\.(lang|util)\\.|com\\.amazonaws\\.services\\.lambda\\.runtime\\.events\\.", "")
                    .trim();
            String got = from < 0 ? "" : m.substring(from + 6).replaceAll(" \\(.*", "").replace("value", "").trim();
            String expected = target.matches("(Array|Linked)?List.*") ? "a list"
                    : target.equals("String") ? "a string"
                    : target.matches("boolean|int|long|double|Boolean|Integer|Long|Double") ? "a " + target
                    : "an object";
            return "must be " + expected + (got.isEmpty() ? "" : ", not " + got);
        }
        return m;
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** An event that is not JSON, or does not fit the event type it is read as. */
    public static final class UnreadableEventException extends CloudopsException {
        UnreadableEventException(String message) {
            super(message);
        }
    }

    /** Joda {@code DateTime} fields (SNS {@code Timestamp}, EventBridge {@code time}) from ISO-8601 instants. */
    private static final class InstantDateTime extends JsonDeserializer<DateTime> {
        @Override
        public DateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (DateTime) ctxt.handleUnexpectedToken(DateTime.class, p);
            }
            String text = p.getText();
            try {
                return new DateTime(Instant.parse(text.trim()).toEpochMilli(), DateTimeZone.UTC);
            } catch (DateTimeParseException e) {
                return (DateTime) ctxt.handleWeirdStringValue(DateTime.class, text, "is not an ISO-8601 instant");
            }
        }
    }

    private static final class DateTimeInstant extends JsonSerializer<DateTime> {
        @Override
        public void serialize(DateTime value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(Instant.ofEpochMilli(value.getMillis()).toString());
        }
    }

    /** A JWT claim: a string as the HTTP API authorizer passes it; a JSON array joined as it joins arrays. */
    private static final class ClaimValue extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.START_ARRAY) {
                StringBuilder b = new StringBuilder("[");
                for (JsonNode v : (JsonNode) p.readValueAsTree()) {
                    b.append(b.length() > 1 ? " " : "").append(v.asText());
                }
                return b.append(']').toString();
            }
            if (p.currentToken().isStructStart()) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            return p.getValueAsString();
        }
    }

    private abstract static class SnsEventNames {
        @JsonProperty("Records")
        abstract List<?> getRecords();

        @JsonProperty("Records")
        abstract void setRecords(List<SNSEvent.SNSRecord> records);
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    private abstract static class SnsRecordNames {
        @JsonProperty("Sns")
        abstract SNSEvent.SNS getSNS();

        @JsonProperty("Sns")
        abstract void setSns(SNSEvent.SNS sns);
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    private abstract static class SnsNames {
    }

    private abstract static class ScheduledEventNames {
        @JsonProperty("detail-type")
        abstract String getDetailType();

        @JsonProperty("detail-type")
        abstract void setDetailType(String detailType);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class ResponseNames {
    }

    private abstract static class JwtClaims {
        @JsonDeserialize(contentUsing = ClaimValue.class)
        abstract void setClaims(Map<String, String> claims);
    }
}
