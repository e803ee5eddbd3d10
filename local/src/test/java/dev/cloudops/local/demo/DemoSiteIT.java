package dev.cloudops.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.probe.Classification;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeSettings;
import dev.cloudops.probe.ProbeSpec;
import dev.cloudops.probe.Prober;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's broken site is broken the way the demo promises: an expiring certificate and a 503. */
class DemoSiteIT {

    @TempDir
    Path dir;

    @Test
    void theShopsCertificateExpiresInTwoDays_andTheApiAnswers503() throws Exception {
        try (DemoSite site = DemoSite.start(dir)) {
            Set<TrustAnchor> anchors = new HashSet<>(ProbeSettings.defaultTrustAnchors());
            try (InputStream in = Files.newInputStream(site.certificate())) {
                anchors.add(new TrustAnchor((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(in), null));
            }
            Prober prober = Prober.create(new ProbeSettings(List.of(new java.net.InetSocketAddress("127.0.0.1", 53)), Duration.ofSeconds(2), Duration.ofSeconds(3),
                    Duration.ofSeconds(5), 1 << 16, anchors), Clock.systemUTC());

            ProbeResult shop = prober.probe(ProbeSpec.of(site.shopUrl()));
            ProbeResult api = prober.probe(ProbeSpec.of(site.apiUrl()));

            assertThat(shop.classification()).isEqualTo(Classification.CERT_EXPIRING);
            assertThat(shop.certificate().daysLeft()).isEqualTo(2L);
            assertThat(shop.details()).contains("(in 2 days; warning at");
            assertThat(api.classification()).isEqualTo(Classification.HTTP_ERROR);
            assertThat(api.http().status()).isEqualTo(503);
        }
    }
}
