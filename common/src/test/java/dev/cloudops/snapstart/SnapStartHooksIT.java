package dev.cloudops.snapstart;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.aws.RenewableCredentials;
import dev.cloudops.config.AwsSettings;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.route53.Route53Client;

/** The hooks around a snapshot, with every AWS service played by a WireMock server that records any request. */
class SnapStartHooksIT {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:24:37.120Z"), ZoneOffset.UTC);

    private WireMockServer aws;
    private final AtomicInteger providers = new AtomicInteger();
    private AwsClients clients;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        aws.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
        clients = new AwsClients(new AwsSettings(Region.EU_WEST_1, Optional.of(URI.create(aws.baseUrl()))),
                new RenewableCredentials(() -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSANDBOX" + providers.getAndIncrement(), "secret"))));
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.stop();
    }

    @Test
    void beforeCheckpoint_buildsTheDeferredParts_dryRunsEveryClient_andWarmsUp_withoutSendingAnything() {
        DynamoDbClient dynamoDb = clients.dynamoDb();
        OnFirstUse<Route53Client> rarelyUsed = new OnFirstUse<>("route53", clients::route53);
        AtomicInteger warmUps = new AtomicInteger();
        SnapStartHooks hooks = new SnapStartHooks(clients, List.of(rarelyUsed), warmUps::incrementAndGet, List.of());

        hooks.beforeCheckpoint(null);

        assertThat(rarelyUsed.isBuilt()).isTrue();
        assertThat(clients.built()).contains(dynamoDb, rarelyUsed.get());
        assertThat(warmUps).hasValue(1);
        assertThat(aws.getAllServeEvents()).as("requests that reached the network").isEmpty();
        assertThat(providers).as("credentials providers made").hasValue(1);
    }

    @Test
    void afterRestore_givesInstancesRestoredFromOneSnapshot_differentIds() throws Exception {
        // Two instances restored from one snapshot start with the same generator state.
        SecureRandom first = snapshotState();
        SecureRandom second = snapshotState();
        SecureRandom notRestored = snapshotState();
        SnapStartHooks hooksOfFirst = new SnapStartHooks(clients, List.of(), () -> { }, List.of(first));
        SnapStartHooks hooksOfSecond = new SnapStartHooks(clients, List.of(), () -> { }, List.of(second));

        hooksOfFirst.afterRestore(null);
        hooksOfSecond.afterRestore(null);

        String fromFirst = new UlidGenerator(CLOCK, first).get();
        String fromSecond = new UlidGenerator(CLOCK, second).get();
        assertThat(fromFirst).isNotEqualTo(fromSecond);
        assertThat(new UlidGenerator(CLOCK, notRestored).get()).as("without the hook, both would repeat this id")
                .isEqualTo(new UlidGenerator(CLOCK, snapshotState()).get())
                .isNotIn(fromFirst, fromSecond);
    }

    @Test
    void afterRestore_dropsTheCredentialsResolvedBeforeTheSnapshot() {
        DynamoDbClient dynamoDb = clients.dynamoDb();
        get(dynamoDb);
        SnapStartHooks hooks = new SnapStartHooks(clients, List.of(), () -> { }, List.of());

        hooks.afterRestore(null);
        get(dynamoDb);

        var sent = aws.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("Authorization")).contains("Credential=AKIDSANDBOX0/");
        assertThat(sent.get(1).getHeader("Authorization")).contains("Credential=AKIDSANDBOX1/");
    }

    /** A generator in a known state, as every instance restored from one snapshot finds it. */
    private static SecureRandom snapshotState() throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(42L);
        return random;
    }

    private static void get(DynamoDbClient dynamoDb) {
        dynamoDb.getItem(b -> b.tableName("alerts").key(Map.of("alert_id", AttributeValue.fromS("01J"))));
    }
}
