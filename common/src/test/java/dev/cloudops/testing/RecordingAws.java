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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One WireMock server standing for every AWS service (set it as {@code AWS_ENDPOINT_URL}) that records
 * whatever reaches it: Secrets Manager answers {@link #SECRET} for any secret, everything else an empty
 * JSON object. Its {@link #credentials()} count how often a client resolved them.
 */
public final class RecordingAws implements AutoCloseable {

    public static final String SECRET = "0123456789abcdef0123456789abcdef0123";

    private final WireMockServer server;
    private final AtomicInteger resolutions = new AtomicInteger();

    private RecordingAws(WireMockServer server) {
        this.server = server;
    }

    public static RecordingAws start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(9).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{}")));
        server.stubFor(post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"Name\":\"cloudops/key\",\"SecretString\":\"" + SECRET + "\",\"VersionId\":\"v1\"}")));
        return new RecordingAws(server);
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

    public int resolutions() {
        return resolutions.get();
    }

    /** Every request that reached the server, oldest first. */
    public List<ServeEvent> requests() {
        return server.getAllServeEvents().reversed();
    }

    @Override
    public void close() {
        server.stop();
    }
}
