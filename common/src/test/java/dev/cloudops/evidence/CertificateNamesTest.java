package dev.cloudops.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateNamesTest {

    @Test
    void covers_exactNames_caseAndTrailingDotAside() {
        assertThat(CertificateNames.covers(List.of("WWW.Example.com"), "www.example.com.")).isTrue();
        assertThat(CertificateNames.covers(List.of("example.com"), "www.example.com")).isFalse();
    }

    @Test
    void covers_aWildcardForExactlyOneLeftMostLabel() {
        List<String> wildcard = List.of("*.example.com");

        assertThat(CertificateNames.covers(wildcard, "shop.example.com")).isTrue();
        assertThat(CertificateNames.covers(wildcard, "example.com")).isFalse();
        assertThat(CertificateNames.covers(wildcard, "a.b.example.com")).isFalse();
        assertThat(CertificateNames.covers(List.of("*.com"), "example.com")).isFalse();
    }

    @Test
    void covers_ipAddressesOnlyByTheirIpName() {
        assertThat(CertificateNames.covers(List.of("127.0.0.1"), "127.0.0.1")).isTrue();
        assertThat(CertificateNames.covers(List.of("0:0:0:0:0:0:0:1"), "[0:0:0:0:0:0:0:1]")).isTrue();
        assertThat(CertificateNames.covers(List.of("localhost"), "127.0.0.1")).isFalse();
    }
}
