package dev.cloudops.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.probe.ProbeRun;
import java.util.List;

/**
 * What one trigger did: each target's result and action, the target entries left out as invalid, and
 * the prober's own load in the run (which results were re-checked and why).
 */
public record RunReport(String trigger, List<TargetReport> targets, List<String> documentProblems,
        ProbeRun.Load probing) {

    /** What happened to one target in this run. */
    public enum Action {
        /** Healthy, and nothing was open for it. */
        NONE,
        /** Failing, but not yet as many times in a row as its threshold. */
        BELOW_THRESHOLD,
        /** Confirmed here, but failing from fewer regions than the quorum needs: no alert (issue 24). */
        REGIONAL,
        /** Failing from too few regions for long enough: a LOW regional-reachability alert was raised. */
        RAISED_REGIONAL,
        /** The open regional-reachability alert counted one more occurrence. */
        COUNTED_REGIONAL,
        /** A new alert was raised. */
        RAISED,
        /** The open alert for this failure counted one more occurrence. */
        COUNTED,
        /** Healthy again; its open alerts were resolved. */
        RECOVERED,
        /** Not probed within the time budget; neither up nor down this run. */
        UNFINISHED,
        /** The trigger asked for nothing to be done (e.g. an alarm with insufficient data). */
        IGNORED
    }

    public record TargetReport(String url, String classification, String details, Action action,
            List<String> alertIds) {
        public TargetReport {
            alertIds = List.copyOf(alertIds);
        }
    }

    public RunReport {
        targets = List.copyOf(targets);
        documentProblems = List.copyOf(documentProblems);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("trigger", trigger);
        ArrayNode list = root.putArray("targets");
        for (TargetReport t : targets) {
            ObjectNode node = list.addObject();
            node.put("url", t.url());
            node.put("classification", t.classification());
            node.put("details", t.details());
            node.put("action", t.action().name());
            ArrayNode ids = node.putArray("alert_ids");
            t.alertIds().forEach(ids::add);
        }
        ArrayNode problems = root.putArray("document_problems");
        documentProblems.forEach(problems::add);
        ObjectNode load = root.putObject("probing");
        load.put("rechecked", probing.rechecked().size());
        ArrayNode why = load.putArray("rechecked_why");
        probing.rechecked().forEach(why::add);
        load.put("paced_ms", probing.paced().toMillis());
        load.put("peak_handshakes", probing.peakHandshakes());
        load.put("peak_answer_ms", probing.peakAnswer().toMillis());
        load.put("peak_scheduling_delay_ms", probing.peakSchedulingDelay().toMillis());
        if (probing.peakProcessCpu() >= 0) {
            load.put("peak_process_cpu", Math.round(probing.peakProcessCpu() * 100) / 100.0);
        }
        return root;
    }
}
