package dev.cloudops.probe;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The DNS layer of a probe: the address to connect to, for the URL's host and for a redirect's other
 * host, and the wording of each way a lookup fails. Changes with how names are resolved, not with the
 * connection that follows.
 */
final class DnsStep {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final ProbeSettings settings;
    private final DnsProbe dns;

    DnsStep(ProbeSettings settings) {
        this.settings = settings;
        this.dns = new DnsProbe(settings.resolvers(), settings.dnsTimeout());
    }

    /** The address of the probe's host; empty with the failure recorded in {@code probe}. */
    Optional<InetAddress> resolve(ProbeProgress probe) throws InterruptedException {
        String host = probe.host;
        String bare = unbracketed(host);
        if (isAddressLiteral(bare)) {
            try {
                probe.dnsAnswers(List.of(bare + " is an IP address; no lookup"));
                return Optional.of(InetAddress.getByName(bare));
            } catch (UnknownHostException e) {
                probe.fail(Classification.DNS_FAILURE, Layer.DNS, "DNS: " + bare + " is not a valid IP address");
                return Optional.empty();
            }
        }
        DnsProbe.Outcome outcome = dns.resolve(host);
        probe.dnsAnswers(outcome.answers());
        String from = " (resolver " + outcome.resolver() + ")";
        switch (outcome.status()) {
            case RESOLVED -> {
                return Optional.of(preferIpv4(outcome.addresses()));
            }
            case NXDOMAIN -> probe.fail(Classification.DNS_FAILURE, Layer.DNS,
                    "DNS: " + host + " does not exist (NXDOMAIN)" + from);
            case SERVFAIL -> probe.fail(Classification.DNS_FAILURE, Layer.DNS,
                    "DNS: the lookup of " + host + " failed (SERVFAIL: the zone's name servers did not answer "
                            + "properly or DNSSEC validation failed)" + from);
            case NO_ANSWER -> probe.fail(Classification.DNS_FAILURE, Layer.DNS,
                    "DNS: " + host + " exists but has no A or AAAA record" + from);
            case REFUSED -> probe.fail(Classification.DNS_FAILURE, Layer.DNS,
                    "DNS: the resolver refused to look up " + host + " (" + String.join("; ", outcome.answers())
                            + ")" + from);
            case UNREACHABLE -> probe.fail(Classification.DNS_FAILURE, Layer.DNS, "DNS: " + host
                    + " could not be looked up: " + (settings.resolvers().size() == 1 ? "the resolver"
                    : "none of the " + settings.resolvers().size() + " resolvers answered, and the last")
                    + " cannot be asked (" + String.join("; ", outcome.answers()) + ")" + from);
            case TIMEOUT -> probe.fail(Classification.TIMEOUT, Layer.DNS,
                    "DNS: no answer for " + host + " within " + ProbeIo.seconds(settings.dnsTimeout()) + " from "
                            + settings.resolvers().size() + (settings.resolvers().size() == 1 ? " resolver"
                            : " resolvers") + " (last " + outcome.resolver() + ")");
        }
        return Optional.empty();
    }

    /** The address of a redirect's other host, looked up like the first one; empty with the failure recorded. */
    Optional<InetAddress> redirectAddress(ProbeProgress probe, URI next) throws InterruptedException {
        String bare = unbracketed(next.getHost());
        if (isAddressLiteral(bare)) {
            try {
                return Optional.of(InetAddress.getByName(bare));
            } catch (UnknownHostException e) {
                probe.fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: the redirect to " + next
                        + " cannot be followed: " + bare + " is not a valid IP address");
                return Optional.empty();
            }
        }
        DnsProbe.Outcome outcome = dns.resolve(next.getHost());
        if (outcome.status() == DnsProbe.Status.RESOLVED) {
            return Optional.of(preferIpv4(outcome.addresses()));
        }
        probe.fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: the redirect to " + next + " cannot be followed: "
                + next.getHost() + " does not resolve (" + outcome.status() + ")");
        return Optional.empty();
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isAddressLiteral(String bare) {
        return IPV4.matcher(bare).matches() || bare.contains(":");
    }

    /** IPv4 first: it is what most clients use. */
    private static InetAddress preferIpv4(List<InetAddress> addresses) {
        return addresses.stream().filter(a -> a.getAddress().length == 4).findFirst().orElse(addresses.getFirst());
    }
}
