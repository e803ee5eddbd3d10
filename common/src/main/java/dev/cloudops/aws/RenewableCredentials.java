package dev.cloudops.aws;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A credentials provider that can be replaced by a fresh one, so that after a SnapStart restore nothing
 * resolved (and cached) before the snapshot is used again. Clients keep this provider; it delegates.
 */
public final class RenewableCredentials implements AwsCredentialsProvider, SdkAutoCloseable {

    private final Supplier<? extends AwsCredentialsProvider> factory;
    private volatile AwsCredentialsProvider current;

    public RenewableCredentials(Supplier<? extends AwsCredentialsProvider> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.current = Objects.requireNonNull(factory.get(), "credentials provider");
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return current.resolveCredentials();
    }

    /** Drops the current provider (and whatever it cached); the next request resolves credentials afresh. */
    public void renew() {
        AwsCredentialsProvider old = current;
        current = Objects.requireNonNull(factory.get(), "credentials provider");
        closeQuietly(old);
    }

    @Override
    public void close() {
        closeQuietly(current);
    }

    private static void closeQuietly(AwsCredentialsProvider provider) {
        if (provider instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
