package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * s3proxy in this JVM on a free loopback port, with an in-memory store and AWS Signature V4 checked
 * against one access key, so a wrong or tampered signature is refused as S3 would.
 */
public final class S3Emulator implements AutoCloseable {

    public static final String ACCESS_KEY = "cloudops-test";
    public static final String SECRET_KEY = "cloudops-test-secret";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final AwsClients clients;

    private S3Emulator(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(endpoint)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    public static S3Emulator start() {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy: " + e.getMessage(), e);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        return new S3Emulator(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Clients signed with the emulator's key; closed with the emulator. */
    public AwsClients clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop s3proxy", e);
        }
    }
}
