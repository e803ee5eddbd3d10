package dev.cloudops.execution.action;

import java.time.Duration;

/** One AWS API call made by a step, as the execution log shows it. */
public record CallRecord(String api, String parameters, String requestId, String result, Duration took) {
}
