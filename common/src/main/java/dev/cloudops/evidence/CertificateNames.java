package dev.cloudops.evidence;

import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate's names cover a host, as browsers judge it (RFC 6125): subject alternative
 * names only, a wildcard only as the whole left-most label and matching exactly one label.
 */
public final class CertificateNames {

    private CertificateNames() {
    }

    /** True when one of the certificate's names covers the host. */
    public static boolean covers(List<String> certificateNames, String host) {
        String h = normalise(host);
        return certificateNames.stream().map(CertificateNames::normalise).anyMatch(n -> matches(n, h));
    }

    private static boolean matches(String pattern, String host) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String suffix = pattern.substring(1); // ".example.com"
        int firstDot = host.indexOf('.');
        // the wildcard stands for exactly one non-empty label, and never for a public suffix alone
        return firstDot > 0 && host.substring(firstDot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
