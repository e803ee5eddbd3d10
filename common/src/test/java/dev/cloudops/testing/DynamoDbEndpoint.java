package dev.cloudops.testing;

import dev.cloudops.control.dynamodb.ControlTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * One DynamoDB implementation that a store adapter's suite runs against. There are two by default, written
 * independently of each other and of this project: dynalite (Node.js) and moto's server (Python); LocalStack
 * is a third with {@code -Plocalstack}. A suite
 * is parameterised over {@link #all} ({@code @ParameterizedClass} with
 * {@code @MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")} and {@code @ExtendWith(Emulators.class)}),
 * so each test runs once on each and a behaviour that only one of them has fails on the other's run instead of
 * passing by accident of the emulator (docs/testing.md records what they disagree on). Tests keep apart by
 * creating tables under names of their own: the servers are shared by every test class of the JVM.
 *
 * @param name how the run is named in reports: {@code dynalite}, {@code moto} or {@code localstack}
 * @param endpoint the server's loopback endpoint, for clients a test builds itself (traced ones, say)
 * @param client a client for the server, closed with it
 */
public record DynamoDbEndpoint(String name, URI endpoint, DynamoDbClient client) {

    /**
     * The arguments of a suite parameterised by endpoint: dynalite first, then moto, then LocalStack in
     * Docker when the build runs with {@code -Plocalstack} ({@link LocalStack}).
     */
    public static List<DynamoDbEndpoint> all(Dynalite dynalite, MotoServer moto) {
        List<DynamoDbEndpoint> endpoints = new ArrayList<>(List.of(
                new DynamoDbEndpoint("dynalite", dynalite.endpoint(), dynalite.client()),
                new DynamoDbEndpoint("moto", moto.endpoint(), moto.clients().dynamoDb())));
        if (LocalStack.wanted()) {
            LocalStack localStack = LocalStack.shared();
            endpoints.add(new DynamoDbEndpoint("localstack", localStack.endpoint(), localStack.clients().dynamoDb()));
        }
        return endpoints;
    }

    /** Creates the table and waits until it is ACTIVE (see {@link Dynalite#createTable}). */
    public void createTable(CreateTableRequest request) {
        Dynalite.createTable(client, request);
    }

    /** A new, empty Control table under a name of its own; returns the name. */
    public String createControlTable() {
        String name = "control-" + UUID.randomUUID();
        createTable(ControlTable.createRequest(name));
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
