package dev.cloudops.monitor.quorum.dynamodb;

import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.dedupe.dynamodb.DynamoDbOpenAlertClaims;
import dev.cloudops.monitor.quorum.RegionalObservations;
import dev.cloudops.monitor.quorum.RegionalObservationsContract;
import dev.cloudops.testing.DynamoDbEndpoint;
import dev.cloudops.testing.Emulators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regional observations in the Control table, once on each DynamoDB implementation (dynalite and moto): the
 * latest observation per target and region, kept by a PutItem conditional on the stored observation being older;
 * and region workers racing on one quorum failure, of which exactly one wins the claim (a conditional PutItem
 * through {@link DynamoDbOpenAlertClaims}).
 */
@Tag("aws-contract")
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.cloudops.testing.DynamoDbEndpoint#all")
@ExtendWith(Emulators.class)
class DynamoDbRegionalObservationsIT extends RegionalObservationsContract {

    @Parameter
    DynamoDbEndpoint endpoint;

    private DynamoDbRegionalObservations observations;
    private OpenAlertClaims claims;

    @BeforeEach
    void tables() {
        String table = endpoint.createControlTable();
        observations = new DynamoDbRegionalObservations(endpoint.client(), table);
        claims = new DynamoDbOpenAlertClaims(endpoint.client(), table);
    }

    @Override
    protected RegionalObservations observations() {
        return observations;
    }

    @Override
    protected OpenAlertClaims claims() {
        return claims;
    }
}
