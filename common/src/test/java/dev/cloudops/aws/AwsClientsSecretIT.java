package dev.cloudops.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.CloudopsException;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * How the functions read their secrets (webhook URLs, the review-link signing key) while they initialise,
 * against moto's Secrets Manager: by the ARN the configuration names, as text, trimmed, with one client for all
 * of them. A secret that is missing or has no text fails the initialisation; nothing catches it, so the
 * function does not start half-configured.
 */
@ExtendWith(Emulators.class)
class AwsClientsSecretIT {

    private final MotoServer moto;
    private AwsClients clients;

    AwsClientsSecretIT(MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void connect() {
        // Clients of this test's own: secret() keeps its Secrets Manager client, and built() is counted below.
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(moto.endpoint())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void secret_readsTheTextValueByArn_trimmed_withOneClientForEveryRead() {
        String teams = create("cloudops/teams", "https://prod.example.logic.azure.com/workflows/abc?sig=x\n");
        String key = create("cloudops/review-key", "  k".repeat(16) + "  ");

        String url = clients.secret(teams);
        String signingKey = clients.secret(key);

        assertThat(teams).startsWith("arn:aws:secretsmanager:us-east-1:" + MotoServer.ACCOUNT + ":secret:cloudops/teams-");
        assertThat(url).isEqualTo("https://prod.example.logic.azure.com/workflows/abc?sig=x");
        assertThat(signingKey).isEqualTo("  k".repeat(16).strip());
        assertThat(clients.built()).filteredOn(c -> c instanceof SecretsManagerClient).hasSize(1);
    }

    @Test
    void secret_throwsSecretsManagersNotFound_forASecretThatDoesNotExist() {
        String missing = "arn:aws:secretsmanager:us-east-1:" + MotoServer.ACCOUNT + ":secret:cloudops/gone-AbCdEf";

        assertThatThrownBy(() -> clients.secret(missing)).isInstanceOf(ResourceNotFoundException.class);
    }

    /** Secrets Manager answers a binary secret with SecretBinary and no SecretString; that is refused by name. */
    @Test
    void secret_refusesABinarySecret_namingItsArnButNotItsValue() {
        String arn = moto.clients().secretsManager().createSecret(b -> b.name("cloudops/binary-" + UUID.randomUUID())
                .secretBinary(SdkBytes.fromUtf8String("https://hooks.slack.com/services/T/B/secret"))).arn();

        assertThatThrownBy(() -> clients.secret(arn))
                .isInstanceOf(CloudopsException.class)
                .hasMessageContaining(arn)
                .hasMessageContaining("SecretString")
                .hasMessageNotContaining("hooks.slack.com");
    }

    private String create(String name, String value) {
        return moto.clients().secretsManager().createSecret(b -> b.name(name + "-" + UUID.randomUUID())
                .secretString(value)).arn();
    }
}
