package dev.cloudops.probe;

import java.time.Instant;
import java.util.List;

/** What the TLS layer saw of the server's certificate and how it judged it. */
public record CertificateInfo(
        String subject,
        String issuer,
        List<String> names,
        Instant notBefore,
        Instant notAfter,
        long daysLeft,
        int chainLength,
        String protocol,
        String trustProblem,
        boolean coversHost) {

    public CertificateInfo {
        names = List.copyOf(names);
    }
}
