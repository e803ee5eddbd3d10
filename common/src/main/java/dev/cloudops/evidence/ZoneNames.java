package dev.cloudops.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The names a public hosted zone serving a host may have, nearest first: the host itself, then each parent
 * down to two labels ({@code www.shop.example.com}, {@code shop.example.com}, {@code example.com}). Both
 * the evidence collector and the certificate executor look for the zone this way, asking Route 53 for each
 * name exactly, since ListHostedZonesByName lists zones in order from a name, not the zones above it.
 */
public final class ZoneNames {

    private ZoneNames() {
    }

    public static List<String> candidates(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        name = name.startsWith("*.") ? name.substring(2) : name;
        String[] labels = name.split("\\.");
        List<String> names = new ArrayList<>();
        for (int first = 0; first <= labels.length - 2; first++) {
            names.add(String.join(".", Arrays.copyOfRange(labels, first, labels.length)));
        }
        return names;
    }
}
