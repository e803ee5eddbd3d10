package dev.cloudops.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server on a loopback UDP port that answers from a small zone: an address, NXDOMAIN, SERVFAIL,
 * an empty answer, or silence. Names not in the zone get NXDOMAIN.
 */
public final class FakeDnsServer implements AutoCloseable {

    public enum Behaviour { NXDOMAIN, SERVFAIL, NO_ANSWER, SILENT }

    private final DatagramSocket socket;
    private final Map<String, Object> zone = new ConcurrentHashMap<>();
    private final Thread loop;

    public FakeDnsServer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        loop = Thread.ofPlatform().daemon().name("fake-dns").start(this::serve);
    }

    public FakeDnsServer address(String name, InetAddress address) {
        zone.put(absolute(name), address);
        return this;
    }

    public FakeDnsServer behave(String name, Behaviour behaviour) {
        zone.put(absolute(name), behaviour);
        return this;
    }

    public InetSocketAddress endpoint() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] answer = answer(query);
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(Message query) {
        Record question = query.getQuestion();
        Object entry = zone.getOrDefault(question.getName().toString().toLowerCase(), Behaviour.NXDOMAIN);
        if (entry == Behaviour.SILENT) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RD);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        if (entry == Behaviour.NXDOMAIN) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (entry == Behaviour.SERVFAIL) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (entry instanceof InetAddress address && question.getType() == Type.A
                && address.getAddress().length == 4) {
            response.addRecord(new ARecord(question.getName(), DClass.IN, 60, address), Section.ANSWER);
        }
        return response.toWire();
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

    private static String absolute(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".") ? n : n + ".";
    }
}
