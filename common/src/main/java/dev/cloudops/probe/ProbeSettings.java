package dev.cloudops.probe;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How probes run: the DNS resolvers asked directly, the per-layer timeouts, how much of a body is
 * read, how many targets run at once, and the certificates trusted as roots.
 */
public record ProbeSettings(
        List<InetSocketAddress> resolvers,
        Duration dnsTimeout,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxBodyBytes,
        Set<TrustAnchor> trustAnchors) {

    public ProbeSettings {
        resolvers = List.copyOf(resolvers);
        trustAnchors = Set.copyOf(trustAnchors);
    }

    /** The JVM's default trusted roots (its cacerts). */
    public static Set<TrustAnchor> defaultTrustAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .flatMap(tm -> Arrays.stream(((X509TrustManager) tm).getAcceptedIssuers()))
                    .map(c -> new TrustAnchor(c, null))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (NoSuchAlgorithmException | KeyStoreException e) {
            throw new IllegalStateException("the JVM's default trust store cannot be read", e);
        }
    }
}
