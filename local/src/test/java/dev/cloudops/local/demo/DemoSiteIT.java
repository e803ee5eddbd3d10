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

/**
 * The demo's broken site is broken the way the demo promises (an expiring certificate and a 503), and its
 * certificate renews and expires again on cue, each trusted through the demo's certificate authority.
 */
class DemoSiteIT {

    @TempDir
    Path dir;

    @Test
    void theShopsCertificateExpiresInTwoDays_andTheApiAnswers503() throws Exception {
        try (DemoSite site = DemoSite.start(dir); DemoResolver resolver = DemoResolver.working()) {
            Prober prober = prober(site, resolver);

            ProbeResult shop = prober.probe(ProbeSpec.of(site.shopUrl()));
            ProbeResult api = prober.probe(ProbeSpec.of(site.apiUrl()));

            assertThat(site.shopUrl().getHost()).isEqualTo("shop.demo.localhost");
            assertThat(shop.classification()).isEqualTo(Classification.CERT_EXPIRING);
            assertThat(shop.certificate().daysLeft()).isEqualTo(2L);
            assertThat(shop.details()).contains("(in 2 days; warning at");
            assertThat(api.classification()).isEqualTo(Classification.HTTP_ERROR);
            assertThat(api.http().status()).isEqualTo(503);
        }
    }

    @Test
    void aRenewal_servesACertificateValidForAYear_andExpiringAgain_servesTheOneExpiringInTwoDays() throws Exception {
        try (DemoSite site = DemoSite.start(dir); DemoResolver resolver = DemoResolver.working()) {
            Prober prober = prober(site, resolver);
            prober.probe(ProbeSpec.of(site.shopUrl()));

            site.renew();
            ProbeResult renewed = prober.probe(ProbeSpec.of(site.shopUrl()));
            site.expire();
            ProbeResult expiring = prober.probe(ProbeSpec.of(site.shopUrl()));

            assertThat(renewed.classification()).isEqualTo(Classification.HEALTHY);
            assertThat(renewed.certificate().daysLeft()).isBetween(363L, 365L);
            assertThat(expiring.classification()).isEqualTo(Classification.CERT_EXPIRING);
            assertThat(expiring.certificate().daysLeft()).isEqualTo(2L);
            assertThat(site.expiresAt()).isEqualTo(expiring.certificate().notAfter());
        }
    }

    private static Prober prober(DemoSite site, DemoResolver resolver) throws Exception {
        Set<TrustAnchor> anchors = new HashSet<>(ProbeSettings.defaultTrustAnchors());
        try (InputStream in = Files.newInputStream(site.authority())) {
            anchors.add(new TrustAnchor((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in), null));
        }
        return Prober.create(new ProbeSettings(List.of(resolver.endpoint()), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(5), 1 << 16, anchors), Clock.systemUTC());
    }
}
