package dev.cloudops.audit.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.json.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/**
 * The audit log in a CloudWatch Logs group: one JSON line per event (time, alert_id, action, actor,
 * verified, source_ip, user_agent, result, detail), written with PutLogEvents to a stream of this
 * function instance's own, created on the first write (after a SnapStart restore, so restored
 * instances never share one).
 */
public final class CloudWatchLogsAuditTrail implements AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsAuditTrail.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    // PutLogEvents quotas: 10,000 events and 1,048,576 bytes a call, counting 26 bytes per event.
    private static final int MAX_EVENTS = 10_000;
    private static final int MAX_BYTES = 1_048_576;
    private static final int EVENT_OVERHEAD = 26;
    /** Keeps one line well inside the 256 KB event quota. */
    private static final int MAX_DETAIL_CHARS = 16_000;

    private final CloudWatchLogsClient logs;
    private final String group;
    private final String function;
    private final Clock clock;
    private final List<InputLogEvent> pending = new ArrayList<>();
    private final Object writing = new Object();
    private String stream; // named and created on the first write

    /**
     * @param function names this function's streams: {@code function/yyyy/MM/dd/<random>}
     */
    public CloudWatchLogsAuditTrail(CloudWatchLogsClient logs, String group, String function, Clock clock) {
        this.logs = Objects.requireNonNull(logs, "logs");
        this.group = Objects.requireNonNull(group, "group");
        this.function = Objects.requireNonNull(function, "function");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void record(String alertId, AuditEvent event) {
        InputLogEvent logEvent = InputLogEvent.builder().timestamp(event.at().toEpochMilli())
                .message(line(alertId, event)).build();
        synchronized (pending) {
            pending.add(logEvent);
        }
    }

    @Override
    public void flush() {
        synchronized (writing) {
            List<InputLogEvent> events;
            synchronized (pending) {
                events = new ArrayList<>(pending);
                pending.clear();
            }
            if (events.isEmpty()) {
                return;
            }
            // PutLogEvents takes a batch only in chronological order.
            events.sort(Comparator.comparing(InputLogEvent::timestamp));
            int written = 0;
            try {
                String name = stream();
                for (List<InputLogEvent> batch : batches(events)) {
                    PutLogEventsResponse response = logs.putLogEvents(b -> b.logGroupName(group).logStreamName(name)
                            .logEvents(batch));
                    if (response.rejectedLogEventsInfo() != null) {
                        LOG.warn("CloudWatch Logs rejected some audit events of {} in {}: {}", name, group,
                                response.rejectedLogEventsInfo());
                    }
                    written += batch.size();
                }
            } catch (SdkException e) {
                LOG.warn("{} of {} audit event(s) were not written to the log group {} (they stay on their alerts): {}",
                        events.size() - written, events.size(), group, e.toString());
            }
        }
    }

    private String stream() {
        if (stream == null) {
            String name = function + "/" + DAY.format(clock.instant()) + "/" + UUID.randomUUID();
            try {
                logs.createLogStream(b -> b.logGroupName(group).logStreamName(name));
            } catch (ResourceAlreadyExistsException e) {
                // Created by an earlier attempt whose answer was lost: write to it.
            }
            stream = name;
        }
        return stream;
    }

    private static List<List<InputLogEvent>> batches(List<InputLogEvent> events) {
        List<List<InputLogEvent>> batches = new ArrayList<>();
        List<InputLogEvent> current = new ArrayList<>();
        int bytes = 0;
        for (InputLogEvent event : events) {
            int size = event.message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (!current.isEmpty() && (current.size() == MAX_EVENTS || bytes + size > MAX_BYTES)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(event);
            bytes += size;
        }
        batches.add(current);
        return batches;
    }

    /** The audit line of one event. */
    static String line(String alertId, AuditEvent event) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("time", event.at().toString());
        line.put("alert_id", alertId);
        line.put("action", event.action().name());
        line.put("actor", event.actor());
        line.put("verified", event.verified());
        line.put("source_ip", event.sourceIp());
        line.put("user_agent", event.userAgent());
        line.put("result", event.result());
        String detail = event.detail();
        line.put("detail", detail != null && detail.length() > MAX_DETAIL_CHARS
                ? detail.substring(0, MAX_DETAIL_CHARS) + "… (cut)" : detail);
        try {
            return Json.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
