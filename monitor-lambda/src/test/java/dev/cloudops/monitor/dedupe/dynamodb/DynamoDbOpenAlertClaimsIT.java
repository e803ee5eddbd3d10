package dev.cloudops.monitor.dedupe.dynamodb;

import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.dedupe.OpenAlertClaimsContract;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Open-alert claims in the Control table, held to the same contract as the SQLite store, once on each DynamoDB
 * implementation (dynalite and moto): a claim is a conditional PutItem ({@code attribute_not_exists}, or the
 * named holder), and its refusal must come back as ConditionalCheckFailedException on both.
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbOpenAlertClaimsIT extends OpenAlertClaimsContract {

    @Parameter
    DynamoDbEndpoint endpoint;

    @Override
    protected OpenAlertClaims newStore() {
        return new DynamoDbOpenAlertClaims(endpoint.client(), endpoint.createControlTable());
    }
}
