package dev.cloudops.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * JUnit extension (register it on an instance field): for each test, one WireMock server standing for every AWS
 * service (set it as {@code AWS_ENDPOINT_URL}) that records whatever reaches it: Secrets Manager answers
 * {@link #SECRET} for any secret, everything else an empty JSON object. Its {@link #credentials()} count how often
 * a client resolved them, so a test can tell that a step made no call and resolved nothing.
 */
public final class RecordingAws implements BeforeEachCallback, AfterEachCallback {

    public static final String SECRET = "0123456789abcdef0123456789abcdef0123";

    private final AtomicInteger resolutions = new AtomicInteger();
    private WireMockServer server;

    /** How much reached the server and how often the credentials were resolved, at one moment. */
    public record Traffic(int requests, int resolutions) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(9).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{}")));
        server.stubFor(post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"Name\":\"cloudops/key\",\"SecretString\":\"" + SECRET + "\",\"VersionId\":\"v1\"}")));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop();
    }

    public String endpoint() {
        return server.baseUrl();
    }

    /** Fixed credentials that count their resolutions. */
    public AwsCredentialsProvider credentials() {
        return () -> {
            resolutions.incrementAndGet();
            return AwsBasicCredentials.create("AKIDRECORDING", "secret");
        };
    }

    /** The clients of a function configured with this server as its endpoint, signing with {@link #credentials()}. */
    public AwsClients clients(AwsSettings settings) {
        return new AwsClients(settings, credentials());
    }

    /** Every request that reached the server, oldest first. */
    public List<ServeEvent> requests() {
        return server.getAllServeEvents().reversed();
    }

    /** The traffic so far: compare two to tell that what ran in between made no call and resolved nothing. */
    public Traffic traffic() {
        return new Traffic(server.getAllServeEvents().size(), resolutions.get());
    }
}
