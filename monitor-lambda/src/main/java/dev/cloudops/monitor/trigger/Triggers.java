package dev.cloudops.monitor.trigger;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.json.EventJson;
import dev.cloudops.json.Json;
import dev.cloudops.monitor.target.Target;
import dev.cloudops.monitor.target.TargetDocument;
import dev.cloudops.monitor.target.TargetList;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the monitor is asked to do, from the events it is invoked with: an EventBridge {@link ScheduledEvent},
 * an {@link SNSEvent} whose records each carry a CloudWatch alarm notification ({@link AlarmNotification})
 * or a manual request, or a manual request invoked directly ({@code {"url": ..., "reason": ...,
 * "requested_by": ...}}). The event types model the envelopes; the messages inside SNS records are read here.
 */
public final class Triggers {

    private static final int MAX_TEXT = 500;

    /** Which of the monitor's events the JSON is, told apart by shape. */
    public sealed interface Event {
        record Scheduled(ScheduledEvent event) implements Event {
        }

        record Sns(SNSEvent event) implements Event {
        }

        record Manual(JsonNode request) implements Event {
        }

        /** A task of a Step Functions workflow, read and validated. */
        record Orchestrated(Task task) implements Event {
        }
    }

    /** The tasks a workflow may give the monitor, by their {@code cloudops_task} names. */
    private static final List<String> TASKS = List.of("analyse", "notify", "expire", "probe_shard");
    private static final int MAX_ALERT_ID = 128;

    private final EventJson events;

    public Triggers(EventJson events) {
        this.events = events;
    }

    /**
     * The event Lambda passed, bound into its type.
     *
     * @throws InvalidEventException when it is none of the monitor's events, or does not bind
     */
    public Event event(byte[] json) {
        try {
            JsonNode root = events.tree(json);
            if (root.has("cloudops_task")) {
                return new Event.Orchestrated(task(root));
            }
            if (root.has("Records")) {
                return new Event.Sns(events.read(root, SNSEvent.class));
            }
            if ("Scheduled Event".equals(root.path("detail-type").asText(null))) {
                return new Event.Scheduled(events.read(root, ScheduledEvent.class));
            }
            if (root.has("url")) {
                return new Event.Manual(root);
            }
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            throw new InvalidEventException("unknown event: expected an EventBridge scheduled event, an SNS delivery, "
                    + "a manual request {\"url\": ..., \"reason\": ..., \"requested_by\": ...} or a workflow task "
                    + "{\"cloudops_task\": ...}; got fields "
                    + (names.size() > 10 ? names.subList(0, 10) : names));
        } catch (EventJson.UnreadableEventException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }

    /** The triggers of any of the monitor's events. */
    public List<Trigger> of(Event event) {
        return switch (event) {
            case Event.Scheduled s -> List.of(of(s.event()));
            case Event.Sns s -> of(s.event());
            case Event.Manual m -> List.of(manual(m.request(), "the event"));
            case Event.Orchestrated o -> throw new InvalidEventException("the workflow task " + o.task().name()
                    + " is a task, not a trigger of a probe run");
        };
    }

    /**
     * A workflow task ({@code {"cloudops_task": ...}} and its fields), checked in full before anything runs.
     *
     * @throws InvalidEventException naming every problem: an unknown task, a missing or malformed field, each
     *     invalid target entry
     */
    public Task task(JsonNode root) {
        JsonNode name = root.get("cloudops_task");
        if (name == null || !name.isTextual() || !TASKS.contains(name.asText())) {
            throw new InvalidEventException("unknown workflow task " + (name == null ? "(none)" : name)
                    + ": 'cloudops_task' must be one of " + String.join(", ", TASKS));
        }
        List<String> problems = new ArrayList<>();
        Task task = switch (name.asText()) {
            case "analyse" -> {
                String id = alertId(root, problems);
                yield id == null ? null : new Task.Analyse(id);
            }
            case "notify" -> {
                String id = alertId(root, problems);
                yield id == null ? null : new Task.Notify(id);
            }
            case "expire" -> {
                String id = alertId(root, problems);
                yield id == null ? null : new Task.Expire(id);
            }
            default -> probeShard(root, problems);
        };
        if (!problems.isEmpty()) {
            throw new InvalidEventException("the workflow task " + name.asText() + " is not valid: "
                    + String.join("; ", problems));
        }
        return task;
    }

    private static String alertId(JsonNode root, List<String> problems) {
        JsonNode id = root.get("alert_id");
        if (id == null || id.isNull()) {
            problems.add("'alert_id' is missing");
            return null;
        }
        if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_ALERT_ID) {
            problems.add("'alert_id' must be a non-empty string of at most " + MAX_ALERT_ID + " characters");
            return null;
        }
        return id.asText();
    }

    private static Task.ProbeShard probeShard(JsonNode root, List<String> problems) {
        Instant started = null;
        JsonNode at = root.get("run_started_at");
        if (at == null || at.isNull()) {
            problems.add("'run_started_at' is missing");
        } else {
            try {
                started = Instant.parse(at.asText());
            } catch (DateTimeParseException e) {
                problems.add("'run_started_at' must be an ISO-8601 instant, was '" + at.asText() + "'");
            }
        }
        JsonNode entries = root.get("targets");
        List<Target> targets = List.of();
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            problems.add("'targets' must be a non-empty list of target entries");
        } else {
            TargetList list = TargetDocument.entries(entries);
            list.problems().forEach(p -> problems.add(p.toString()));
            targets = list.targets();
        }
        return problems.isEmpty() ? new Task.ProbeShard(targets, started) : null;
    }

    /** The schedule's tick; only EventBridge (rules or Scheduler) may send it. */
    public Trigger of(ScheduledEvent event) {
        String source = event.getSource();
        if (!"aws.events".equals(source) && !"aws.scheduler".equals(source)) {
            throw new InvalidEventException("a scheduled event must come from aws.events or aws.scheduler, not "
                    + source);
        }
        return new Trigger.Scheduled(event.getTime() == null ? null : Instant.ofEpochMilli(event.getTime().getMillis()));
    }

    /** One trigger per record: each message is a CloudWatch alarm notification or a manual request. */
    public List<Trigger> of(SNSEvent event) {
        List<SNSEvent.SNSRecord> records = event.getRecords();
        if (records == null || records.isEmpty()) {
            throw new InvalidEventException("'Records' must be a non-empty list");
        }
        List<Trigger> triggers = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SNSEvent.SNSRecord record = records.get(i);
            String where = "Records[" + i + "]";
            if (record == null || !"aws:sns".equals(record.getEventSource()) || record.getSNS() == null) {
                throw new InvalidEventException(where + " is not an SNS record (EventSource "
                        + (record == null ? null : record.getEventSource()) + ")");
            }
            String message = record.getSNS().getMessage();
            if (message == null) {
                throw new InvalidEventException(where + " has no Sns.Message");
            }
            JsonNode body;
            try {
                body = Json.mapper().readTree(message);
            } catch (IOException e) {
                throw new InvalidEventException(where + ".Sns.Message is not JSON: " + firstLine(e));
            }
            if (body == null || !body.isObject()) {
                throw new InvalidEventException(where + ".Sns.Message must be a JSON object");
            }
            if (body.has("AlarmName")) {
                triggers.add(AlarmNotification.read(body, where + ".Sns.Message").trigger());
            } else if (body.has("url")) {
                triggers.add(manual(body, where + ".Sns.Message"));
            } else {
                List<String> names = new ArrayList<>();
                body.fieldNames().forEachRemaining(names::add);
                throw new InvalidEventException(where + ".Sns.Message is neither a CloudWatch alarm notification "
                        + "nor a manual request; got fields " + (names.size() > 10 ? names.subList(0, 10) : names));
            }
        }
        return triggers;
    }

    /** A manual request's body: an absolute http(s) URL, and optional short texts. */
    private static Trigger manual(JsonNode body, String where) {
        JsonNode urlNode = body.get("url");
        String url = urlNode != null && urlNode.isTextual() ? urlNode.asText() : null;
        List<String> problems = new ArrayList<>();
        URI uri = null;
        if (url == null || url.isBlank()) {
            problems.add("'url' must be a string");
        } else {
            try {
                uri = TargetDocument.lowerCaseScheme(new URI(url.trim()));
                if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                    problems.add("'url' must be an absolute http or https URL, was '" + url + "'");
                }
            } catch (URISyntaxException e) {
                problems.add("'url' is not a valid URL: " + e.getReason());
            }
        }
        String reason = optional(body, "reason", problems);
        String requestedBy = optional(body, "requested_by", problems);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(where + " is not a valid manual request: " + String.join("; ", problems));
        }
        return new Trigger.Manual(uri, reason, requestedBy);
    }

    private static String optional(JsonNode body, String field, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > MAX_TEXT) {
            problems.add("'" + field + "' must be a string of at most " + MAX_TEXT + " characters");
            return null;
        }
        return value.asText();
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
