package dev.cloudops.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one HTTP client of every webhook channel: posts JSON with a timeout, retries 429, 5xx and
 * timeouts with exponential backoff and jitter, and honours Retry-After. Never logs the URL (it is a
 * secret: whoever has it can post to the channel).
 */
public final class WebhookClient {

    private final HttpClient http;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxWait;

    public WebhookClient(Duration timeout, int maxAttempts, Duration baseBackoff, Duration maxWait) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.baseBackoff = baseBackoff;
        this.maxWait = maxWait;
    }

    /** Posts {@code body} to {@code url} until it is accepted or the attempts run out. */
    public Delivery post(String channel, URI url, JsonNode body) {
        String reason = "not sent";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Delivery.Delivered(channel, attempt);
                }
                reason = "HTTP " + status + firstLine(response.body());
                if (status != 429 && status < 500) {
                    return new Delivery.Failed(channel, attempt, reason); // the request itself is wrong: retrying won't help
                }
                int tried = attempt;
                wait = response.headers().firstValue("Retry-After").map(WebhookClient::retryAfter)
                        .orElseGet(() -> backoff(tried));
            } catch (HttpTimeoutException e) {
                reason = "no answer within " + timeout.toSeconds() + " s";
                wait = backoff(attempt);
            } catch (IOException e) {
                reason = "connection failed: " + e.getClass().getSimpleName();
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery.Failed(channel, attempt, "interrupted");
            }
            if (attempt < maxAttempts) {
                try {
                    Thread.sleep(min(wait, maxWait).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery.Failed(channel, attempt, "interrupted");
                }
            }
        }
        return new Delivery.Failed(channel, maxAttempts, reason + " after " + maxAttempts + " attempts");
    }

    private Duration backoff(int attempt) {
        long base = baseBackoff.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /** Retry-After in seconds or as an HTTP date. */
    static Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException ignored) {
                return Duration.ofSeconds(1);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }
}
