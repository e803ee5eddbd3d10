package dev.cloudops.testing;

import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * LocalStack in Docker through Testcontainers: a third implementation the AWS contract suites (those
 * parameterised by endpoint, tagged {@code aws-contract}) run against when the build is run with
 * {@code -Plocalstack}, which sets {@code cloudops.localstack}. The default build never starts it and needs
 * no Docker. With the profile but no Docker engine, the suites stop with a message that says so.
 */
public final class LocalStack {

    /** The system property the {@code localstack} profile sets. */
    public static final String PROPERTY = "cloudops.localstack";
    /** The image, pinned; override with {@code -Dcloudops.localstack.image=...}. */
    private static final String IMAGE = System.getProperty("cloudops.localstack.image", "localstack/localstack:4.4");

    private static LocalStack shared;

    private final LocalStackContainer container;
    private final AwsClients clients;

    private LocalStack(LocalStackContainer container) {
        this.container = container;
        this.clients = new AwsClients(new AwsSettings(Region.of(container.getRegion()), Optional.of(container.getEndpoint())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(container.getAccessKey(),
                        container.getSecretKey())));
    }

    /** Whether this build asked for LocalStack ({@code -Plocalstack}). */
    public static boolean wanted() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** The container of this test JVM, started on first use and stopped when the JVM ends. */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("-Plocalstack runs the AWS contract suites against LocalStack in "
                        + "Docker, but no Docker engine is reachable (Testcontainers found none: set DOCKER_HOST or "
                        + "start Docker). The default build (without -Plocalstack) needs no Docker.");
            }
            LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE)
                    .asCompatibleSubstituteFor("localstack/localstack"))
                    .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.S3);
            container.start();
            shared = new LocalStack(container);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.clients.close();
                container.stop();
            }, "localstack-stop"));
        }
        return shared;
    }

    public URI endpoint() {
        return container.getEndpoint();
    }

    /** Clients for the container (its region and test credentials); closed when the JVM ends. */
    public AwsClients clients() {
        return clients;
    }
}
