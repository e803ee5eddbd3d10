package dev.cloudops.local.demo;

import dev.cloudops.CloudopsException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The demo's DNS resolver: a UDP server on a free loopback port, built on dnsjava's message parser. A working
 * one answers {@code localhost} and every name under it (RFC 6761: {@code status.localhost}) with A 127.0.0.1
 * and no AAAA, and NXDOMAIN for any other name; a broken one has lost one name and answers NXDOMAIN for it, as a
 * resolver with a stale negative answer or a filter on the name would, and like the working one for the others
 * (so the shop, by name too, is seen from every probe site). It only serves the demo's probe sites.
 */
public final class DemoResolver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoResolver.class);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress IPV4_LOOPBACK = ipv4Loopback();

    private final DatagramSocket socket;
    /** The name this resolver has lost (absolute, lower case); null for a working one. */
    private final String lost;
    private final Thread loop;

    private DemoResolver(DatagramSocket socket, String lost) {
        this.socket = socket;
        this.lost = lost;
        this.loop = Thread.ofPlatform().daemon().name(lost != null ? "demo-dns-broken" : "demo-dns").start(this::serve);
    }

    /** A resolver answering A 127.0.0.1 for {@code localhost} and the names under it. */
    public static DemoResolver working() {
        return new DemoResolver(bind(), null);
    }

    /** A resolver answering NXDOMAIN for {@code name}, and as {@link #working()} does for every other name. */
    public static DemoResolver losing(String name) {
        String absolute = name.toLowerCase(Locale.ROOT);
        return new DemoResolver(bind(), absolute.endsWith(".") ? absolute : absolute + ".");
    }

    /** The address to configure as a probe site's resolver. */
    public InetSocketAddress endpoint() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    /** {@code host:port}, as the configuration's {@code resolvers} list takes it. */
    public String hostAndPort() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    private static DatagramSocket bind() {
        try {
            return new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        } catch (SocketException e) {
            throw new CloudopsException("the demo resolver cannot open a loopback UDP port: " + e.getMessage(), e);
        }
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] answer = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                LOG.debug("demo resolver: {}", e.toString());
            }
        }
    }

    /** The response to one query's bytes; null for bytes that are no DNS query (dropped, as a server would). */
    byte[] answer(byte[] wire) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        Record question = query.getQuestion();
        if (query.getHeader().getFlag(Flags.QR) || question == null) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
        } else if (!isLocalhost(question.getName().toString())
                || question.getName().toString().toLowerCase(Locale.ROOT).equals(lost)) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.A && question.getDClass() == DClass.IN) {
            response.addRecord(new ARecord(question.getName(), DClass.IN, 60, IPV4_LOOPBACK), Section.ANSWER);
        }
        return response.toWire();
    }

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static boolean isLocalhost(String absoluteName) {
        String name = absoluteName.toLowerCase(Locale.ROOT);
        return name.equals("localhost.") || name.endsWith(".localhost.");
    }

    @Override
    public void close() {
        socket.close();
        try {
            loop.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
