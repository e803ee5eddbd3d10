package dev.cloudops.probe;

import dev.cloudops.evidence.CertificateNames;
import dev.cloudops.time.Timestamps;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Judges a server's certificate chain as the TLS layer: expiry first, then trust (PKIX against the
 * configured anchors, no revocation), then whether it covers the host, then how soon it expires.
 */
final class CertificateJudge {

    /** The judgement: the certificate as seen, and the failure it shows (null when it is fine). */
    record Verdict(CertificateInfo info, Classification failure, String details) {
    }

    private final Set<TrustAnchor> anchors;

    CertificateJudge(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
    }

    Verdict judge(X509Certificate[] chain, String host, String protocol, Instant now, int warningDays) {
        X509Certificate leaf = chain[0];
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        long daysLeft = Duration.between(now, notAfter).toDays();
        List<String> names = names(leaf);
        boolean covers = CertificateNames.covers(names, host);
        String trustProblem = trustProblem(chain, now);
        CertificateInfo info = new CertificateInfo(leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(), names, notBefore, notAfter, daysLeft, chain.length,
                protocol, trustProblem, covers);

        if (now.isAfter(notAfter)) {
            long ago = Duration.between(notAfter, now).toDays();
            return new Verdict(info, Classification.CERT_EXPIRED, "TLS: the certificate for " + host + " expired on "
                    + Timestamps.forPeople(notAfter) + " (" + Timestamps.days(ago) + " ago)");
        }
        if (now.isBefore(notBefore)) {
            return new Verdict(info, Classification.TLS_ERROR, "TLS: the certificate for " + host
                    + " is not valid until " + Timestamps.forPeople(notBefore));
        }
        if (trustProblem != null) {
            return new Verdict(info, Classification.TLS_ERROR, "TLS: the certificate chain for " + host
                    + " is not trusted: " + trustProblem);
        }
        if (!covers) {
            return new Verdict(info, Classification.TLS_ERROR, "TLS: the certificate does not cover " + host
                    + " (it covers: " + (names.isEmpty() ? "no names" : String.join(", ", names)) + ")");
        }
        if (daysLeft < warningDays) {
            return new Verdict(info, Classification.CERT_EXPIRING, "TLS: the certificate for " + host + " expires on "
                    + Timestamps.forPeople(notAfter) + " (in " + Timestamps.days(daysLeft) + "; warning at "
                    + warningDays + ")");
        }
        return new Verdict(info, null, null);
    }

    private String trustProblem(X509Certificate[] chain, Instant now) {
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        // A server may send its root too; the path to validate ends below the trust anchor.
        while (path.size() > 1 && isAnchor(path.getLast())) {
            path.removeLast();
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return null;
        } catch (CertPathValidatorException e) {
            X509Certificate leaf = chain[0];
            if (chain.length == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                return "it is self-signed (" + leaf.getSubjectX500Principal().getName() + ")";
            }
            return "no trusted issuer for " + path.getLast().getIssuerX500Principal().getName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            return "the chain cannot be validated: " + e.getMessage();
        }
    }

    private boolean isAnchor(X509Certificate certificate) {
        return anchors.stream().anyMatch(a -> certificate.equals(a.getTrustedCert()));
    }

    private static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    int type = (Integer) entry.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable names cover nothing; the mismatch is then reported with "no names"
        }
        return names;
    }
}
