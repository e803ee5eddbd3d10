package dev.cloudops.evidence.aws;

import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;

/**
 * Finds the public hosted zone of exactly one name with ListHostedZonesByName. An account may hold several
 * zones of one name (a private zone beside the public one, or an old public zone kept while a new one is
 * delegated); Route 53 lists them in order of name, then hosted zone id, a page of {@code MaxItems} at a time,
 * with {@code NextDNSName} and {@code NextHostedZoneId} naming where the next page begins. So the pages are
 * read on until a zone of another name shows up or the list ends; reading only the first zone (or the first
 * few) misses a public zone listed after private ones of the same name.
 */
public final class PublicZones {

    /** Zones per page; the API's own default and maximum is 100. */
    static final String PAGE = "100";
    /** More pages than this of one name would be an account the lookup should not wander through. */
    private static final int MAX_PAGES = 20;

    private PublicZones() {
    }

    /** The first public zone named {@code name} (no trailing dot needed; any case); empty if there is none. */
    public static Optional<HostedZone> named(Route53Client route53, String name) {
        return named(route53, name, PAGE);
    }

    /** As {@link #named(Route53Client, String)}, {@code pageSize} zones a page (tests page through a few). */
    static Optional<HostedZone> named(Route53Client route53, String name, String pageSize) {
        String wanted = normal(name);
        String dnsName = wanted;
        String zoneId = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String fromName = dnsName;
            String fromId = zoneId;
            ListHostedZonesByNameResponse response = route53.listHostedZonesByName(b -> b.dnsName(fromName)
                    .hostedZoneId(fromId).maxItems(pageSize));
            for (HostedZone zone : response.hostedZones()) {
                if (!normal(zone.name()).equals(wanted)) {
                    // Sorted by name: every zone from here on has another name.
                    return Optional.empty();
                }
                if (zone.config() == null || !Boolean.TRUE.equals(zone.config().privateZone())) {
                    return Optional.of(zone);
                }
            }
            if (!Boolean.TRUE.equals(response.isTruncated()) || response.nextDNSName() == null
                    || !normal(response.nextDNSName()).equals(wanted)) {
                return Optional.empty();
            }
            dnsName = response.nextDNSName();
            zoneId = response.nextHostedZoneId();
        }
        return Optional.empty();
    }

    /** Lower case, without the trailing dot; Route 53's escape of '*' read as '*'. */
    private static String normal(String name) {
        String n = name.replace("\\052", "*").toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
