package dev.cloudops.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves a host by asking the configured resolvers directly (no JVM or library cache), telling
 * NXDOMAIN, SERVFAIL, an empty answer, a timeout and a resolver that cannot be asked at all apart. A
 * resolver is tried after the one before it timed out or could not be asked; a definite answer (even
 * NXDOMAIN) ends the lookup.
 */
final class DnsProbe {

    /** {@code UNREACHABLE}: the question could not be put (nothing listens there, no route, a garbled reply). */
    enum Status { RESOLVED, NXDOMAIN, SERVFAIL, NO_ANSWER, REFUSED, TIMEOUT, UNREACHABLE }

    /** What the lookup found; {@code resolver} is the one whose answer counts. */
    record Outcome(Status status, List<InetAddress> addresses, List<String> answers, String resolver) {
    }

    private final List<InetSocketAddress> resolvers;
    private final Duration timeout;

    DnsProbe(List<InetSocketAddress> resolvers, Duration timeout) {
        if (resolvers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS resolver is needed");
        }
        this.resolvers = List.copyOf(resolvers);
        this.timeout = timeout;
    }

    Outcome resolve(String host) throws InterruptedException {
        Name name;
        try {
            name = Name.fromString(host.endsWith(".") ? host : host + ".");
        } catch (TextParseException e) {
            return new Outcome(Status.NXDOMAIN, List.of(), List.of("not a valid DNS name: " + host), "none");
        }
        Outcome last = null;
        for (InetSocketAddress address : resolvers) {
            last = ask(name, address);
            if (last.status() != Status.TIMEOUT && last.status() != Status.UNREACHABLE) {
                return last;
            }
        }
        return last;
    }

    private Outcome ask(Name name, InetSocketAddress address) throws InterruptedException {
        String resolver = address.getHostString() + ":" + address.getPort();
        SimpleResolver simple = new SimpleResolver(address);
        simple.setTimeout(timeout);
        List<String> answers = new ArrayList<>();
        List<InetAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Message response;
            try {
                response = simple.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("DNS lookup interrupted");
                }
                return timedOut(e) ? new Outcome(Status.TIMEOUT, List.of(), answers, resolver)
                        : new Outcome(Status.UNREACHABLE, List.of(), List.of(why(e)), resolver);
            }
            switch (response.getRcode()) {
                case Rcode.NOERROR -> { }
                case Rcode.NXDOMAIN -> { return new Outcome(Status.NXDOMAIN, List.of(), answers, resolver); }
                case Rcode.SERVFAIL -> { return new Outcome(Status.SERVFAIL, List.of(), answers, resolver); }
                default -> {
                    answers.add("rcode " + Rcode.string(response.getRcode()));
                    return new Outcome(Status.REFUSED, List.of(), answers, resolver);
                }
            }
            for (Record r : response.getSection(Section.ANSWER)) {
                answers.add(r.toString());
                if (r instanceof ARecord a) {
                    addresses.add(a.getAddress());
                } else if (r instanceof AAAARecord aaaa) {
                    addresses.add(aaaa.getAddress());
                }
            }
            if (!addresses.isEmpty()) {
                return new Outcome(Status.RESOLVED, addresses, answers, resolver);
            }
        }
        return new Outcome(Status.NO_ANSWER, List.of(), answers, resolver);
    }

    /** dnsjava reports its own timeout as an IOException caused by a TimeoutException. */
    private static boolean timedOut(IOException e) {
        return e instanceof SocketTimeoutException || e.getCause() instanceof TimeoutException
                || e.getCause() instanceof SocketTimeoutException;
    }

    private static String why(IOException e) {
        if (e instanceof PortUnreachableException) {
            return "nothing answers DNS there: ICMP port unreachable";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
