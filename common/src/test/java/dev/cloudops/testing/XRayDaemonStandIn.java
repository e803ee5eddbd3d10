package dev.cloudops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The X-Ray daemon as a function sees it: a UDP socket on a loopback port that receives segment documents,
 * each datagram a JSON header line ({@code {"format":"json","version":1}}) and then one (sub)segment document.
 * Received documents are flattened into every subsegment they hold, each with the id of its parent.
 */
public final class XRayDaemonStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode HEADER = JSON.createObjectNode().put("format", "json").put("version", 1);

    private final DatagramSocket socket;

    public XRayDaemonStandIn() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port}, as Lambda sets {@code AWS_XRAY_DAEMON_ADDRESS}. */
    public String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** One subsegment as received: its document, the trace it belongs to and the id of its parent. */
    public record Recorded(JsonNode document, String traceId, String parentId) {

        public String name() {
            return document.path("name").asText();
        }

        public String id() {
            return document.path("id").asText();
        }

        public String annotation(String key) {
            return document.path("annotations").path(key).asText(null);
        }
    }

    /**
     * Every subsegment received until no datagram has come for {@code quiet}, top-level and nested alike.
     *
     * @throws AssertionError when a datagram is not a header line and a JSON document
     */
    public List<Recorded> received(Duration quiet) {
        List<Recorded> all = new ArrayList<>();
        byte[] buffer = new byte[64 * 1024];
        try {
            socket.setSoTimeout((int) quiet.toMillis());
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return all;
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                int newline = text.indexOf('\n');
                if (newline < 0 || !JSON.readTree(text.substring(0, newline)).equals(HEADER)) {
                    throw new AssertionError("not an X-Ray daemon datagram: " + text);
                }
                JsonNode document = JSON.readTree(text.substring(newline + 1));
                flatten(document, document.path("trace_id").asText(), document.path("parent_id").asText(null), all);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flatten(JsonNode document, String traceId, String parentId, List<Recorded> into) {
        into.add(new Recorded(document, traceId, parentId));
        for (JsonNode child : document.path("subsegments")) {
            flatten(child, traceId, document.path("id").asText(), into);
        }
    }

    /** The first of {@code recorded} with this name. */
    public static Optional<Recorded> named(List<Recorded> recorded, String name) {
        return recorded.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * The one subsegment of {@code recorded} with this name.
     *
     * @throws AssertionError when there is none or more than one, naming all that were recorded
     */
    public static Recorded only(List<Recorded> recorded, String name) {
        List<Recorded> named = recorded.stream().filter(r -> r.name().equals(name)).toList();
        assertThat(named).as("subsegments named '%s' in %s", name, recorded.stream().map(Recorded::name).toList())
                .hasSize(1);
        return named.getFirst();
    }

    /**
     * The type of the exception that made {@code faulted} a fault, or null when it is not one. An exception already
     * recorded on a subsegment under it (the SDK call that threw it) is named there, and {@code cause} holds only
     * its id, so that reference is followed through {@code recorded}.
     */
    public static String faultType(List<Recorded> recorded, Recorded faulted) {
        if (!faulted.document().path("fault").asBoolean()) {
            return null;
        }
        JsonNode cause = faulted.document().path("cause");
        if (!cause.isTextual()) {
            return cause.at("/exceptions/0/type").asText(null);
        }
        for (Recorded r : recorded) {
            for (JsonNode described : r.document().at("/cause/exceptions")) {
                if (cause.asText().equals(described.path("id").asText())) {
                    return described.path("type").asText(null);
                }
            }
        }
        return null;
    }

    /** "Service Operation" of each AWS SDK call recorded directly under {@code parent}. */
    public static List<String> sdkCallsUnder(List<Recorded> recorded, Recorded parent) {
        return recorded.stream().filter(r -> r.parentId().equals(parent.id()))
                .filter(r -> r.document().path("namespace").asText().equals("aws"))
                .map(r -> r.name() + " " + r.document().at("/aws/operation").asText()).toList();
    }

    @Override
    public void close() {
        socket.close();
    }
}
