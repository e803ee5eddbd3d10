package dev.cloudops.probe;

import dev.cloudops.config.ConfigReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern RESOLVER = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[0-9.]+)(?::(\\d{1,5}))?");

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

    /** {@code DNS_RESOLVERS}: IP addresses with optional ports; empty when unset (the system's resolvers). */
    public static List<InetSocketAddress> resolvers(ConfigReader reader) {
        Optional<String> configured = reader.optional("DNS_RESOLVERS");
        if (configured.isEmpty()) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : configured.get().split(",")) {
            Matcher m = RESOLVER.matcher(part.trim());
            if (!m.matches()) {
                reader.problem("DNS_RESOLVERS must list IP addresses with optional ports (1.1.1.1, 10.0.0.2:53, "
                        + "[2606:4700::1111]:53), found '" + part.trim() + "'");
                continue;
            }
            String host = m.group(1).replace("[", "").replace("]", "");
            int port = m.group(2) == null ? 53 : Integer.parseInt(m.group(2));
            try {
                if (port < 1 || port > 65535) {
                    throw new UnknownHostException("port " + port);
                }
                out.add(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (UnknownHostException e) {
                reader.problem("DNS_RESOLVERS has an invalid address '" + part.trim() + "'");
            }
        }
        return out;
    }
}
