package dev.cloudops.bench;

import dev.cloudops.probe.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.net.ssl.SSLServerSocket;

/**
 * The probe benchmark's JDK endpoint server ({@code -Dendpoints=jdk}; {@link Endpoints#jdk}): opens N
 * HTTPS endpoints on loopback ports (each answering {@code 200 Welcome} after a full handshake) and M
 * endpoints that accept connections and never say a word, prints the CA certificate and the ports, then
 * serves until its input closes. {@code node-endpoints.js} does the same in Node.js.
 */
public final class LoopbackEndpoints {

    private LoopbackEndpoints() {
    }

    public static void main(String[] args) throws Exception {
        int answering = Integer.parseInt(args[0]);
        int silent = Integer.parseInt(args[1]);
        TestCertificates certificates = args.length > 2 && args[2].equals("ec") ? new TestCertificates()
                : TestCertificates.rsa();
        TestCertificates.Leaf leaf = certificates.leaf(Duration.ofDays(90), "127.0.0.1", "localhost");
        var factory = leaf.serverContext().getServerSocketFactory();
        InetAddress loopback = InetAddress.getLoopbackAddress();

        List<Integer> answeringPorts = new ArrayList<>();
        for (int i = 0; i < answering; i++) {
            SSLServerSocket server = (SSLServerSocket) factory.createServerSocket(0, 1024, loopback);
            answeringPorts.add(server.getLocalPort());
            Thread.ofVirtual().start(() -> serve(server));
        }
        List<Socket> held = new CopyOnWriteArrayList<>();
        List<Integer> silentPorts = new ArrayList<>();
        for (int i = 0; i < silent; i++) {
            ServerSocket server = new ServerSocket(0, 1024, loopback);
            silentPorts.add(server.getLocalPort());
            Thread.ofVirtual().start(() -> hold(server, held));
        }
        System.out.println("CA " + Base64.getEncoder().encodeToString(
                certificates.anchors().iterator().next().getTrustedCert().getEncoded()));
        System.out.println("ANSWERING " + join(answeringPorts));
        System.out.println("SILENT " + join(silentPorts));
        System.out.println("READY");
        System.out.flush();
        // Serve until the benchmark closes our input (or dies).
        while (System.in.read() != -1) {
            Thread.onSpinWait();
        }
        System.exit(0);
    }

    private static void serve(SSLServerSocket server) {
        while (true) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> answer(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[4096];
            int total = 0;
            // read the request head (the handshake happens on the first read)
            while (total < buffer.length) {
                int n = in.read(buffer, total, buffer.length - total);
                if (n < 0) {
                    return;
                }
                total += n;
                if (new String(buffer, 0, total, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    break;
                }
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
                    + "Welcome").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // a bare TCP check or a handshake-only client: nothing to answer
        }
    }

    private static void hold(ServerSocket server, List<Socket> held) {
        while (true) {
            try {
                held.add(server.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String join(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
