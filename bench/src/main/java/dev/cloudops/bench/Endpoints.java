package dev.cloudops.bench;

import dev.cloudops.probe.TestCertificates;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The probe benchmark's endpoints, in processes of their own: N answering HTTPS endpoints on loopback
 * ports (each answering {@code 200 Welcome} after a full handshake) and M silent ones that accept the
 * connection and never say a word.
 *
 * <p>Two servers: {@link #node} runs them in Node.js, whose TLS is OpenSSL's as on most real sites, one
 * process per processor as a web server would run; {@link #jdk} runs them in one JVM
 * ({@link LoopbackEndpoints}: {@code SSLServerSocket} on virtual threads), which costs about twice the
 * CPU per handshake. Both take the CPU from the prober's two cores, which real sites do not.
 */
final class Endpoints implements AutoCloseable {

    private final String server;
    private final List<Process> processes;
    private final X509Certificate ca;
    private final List<URI> answering;
    private final List<URI> silent;
    private final Path folder;

    private Endpoints(String server, List<Process> processes, Path folder) throws IOException {
        this.server = server;
        this.processes = processes;
        this.folder = folder;
        List<Map<String, String>> told = new ArrayList<>();
        for (Process process : processes) {
            told.add(readHandshake(process));
        }
        this.ca = certificate(told.get(0).get("CA"));
        // Alternate between the processes, so that any run of consecutive targets loads them all alike.
        this.answering = alternate(told, "ANSWERING");
        this.silent = alternate(told, "SILENT");
    }

    /** Endpoints served by {@code processes} Node.js processes, which split them between them. */
    static Endpoints node(int answering, int silent, boolean ec, int processes) throws IOException {
        TestCertificates certificates = ec ? new TestCertificates() : TestCertificates.rsa();
        TestCertificates.Leaf leaf = certificates.leaf(Duration.ofDays(90), "127.0.0.1", "localhost");
        Path folder = Files.createTempDirectory("cloudops-endpoints");
        List<Process> started = new ArrayList<>();
        try {
            Path script = folder.resolve("node-endpoints.js");
            try (InputStream in = Endpoints.class.getResourceAsStream("node-endpoints.js")) {
                Files.copy(in, script);
            }
            Path key = folder.resolve("key.pem");
            Files.writeString(key, pem("PRIVATE KEY", leaf.keys().getPrivate().getEncoded()));
            StringBuilder chain = new StringBuilder();
            for (X509Certificate cert : leaf.chain()) {
                chain.append(pem("CERTIFICATE", encoded(cert)));
            }
            Path certs = folder.resolve("chain.pem");
            Files.writeString(certs, chain);
            String ca = Base64.getEncoder().encodeToString(encoded(leaf.chain()[leaf.chain().length - 1]));
            for (int i = 0; i < processes; i++) {
                started.add(startNode(List.of("node", script.toString(), share(answering, processes, i),
                        share(silent, processes, i), key.toString(), certs.toString(), ca)));
            }
            return new Endpoints("Node.js (OpenSSL), " + processes + " processes", started, folder);
        } catch (IOException | RuntimeException e) {
            started.forEach(Process::destroy);
            delete(folder);
            throw e;
        }
    }

    /** Endpoints served by one JVM ({@link LoopbackEndpoints}). */
    static Endpoints jdk(int answering, int silent, boolean ec) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = start(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                LoopbackEndpoints.class.getName(), Integer.toString(answering), Integer.toString(silent),
                ec ? "ec" : "rsa"));
        try {
            return new Endpoints("JDK SSLServerSocket, 1 process", List.of(process), null);
        } catch (IOException | RuntimeException e) {
            process.destroy();
            throw e;
        }
    }

    String server() {
        return server;
    }

    X509Certificate ca() {
        return ca;
    }

    List<URI> answering() {
        return answering;
    }

    List<URI> silent() {
        return silent;
    }

    /** CPU time the endpoint processes have used so far, in nanoseconds. */
    long cpuNanos() {
        return processes.stream()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            try {
                process.getOutputStream().close(); // the endpoints serve until their input closes
            } catch (IOException e) {
                // already gone
            }
            process.destroy();
        }
        if (folder != null) {
            processes.forEach(p -> p.onExit().join());
            delete(folder);
        }
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Process startNode(List<String> command) throws IOException {
        try {
            return start(command);
        } catch (IOException e) {
            throw new IOException("cannot start node (Node.js is needed for the default endpoints; "
                    + "-Dendpoints=jdk serves them from a JVM instead): " + e.getMessage(), e);
        }
    }

    private static String share(int total, int parts, int index) {
        return Integer.toString(total / parts + (index < total % parts ? 1 : 0));
    }

    private static Map<String, String> readHandshake(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Map<String, String> lines = new HashMap<>();
        for (String line; (line = out.readLine()) != null && !line.equals("READY"); ) {
            int space = line.indexOf(' ');
            lines.put(line.substring(0, space), line.substring(space + 1));
        }
        if (!lines.containsKey("CA")) {
            throw new IllegalStateException("the endpoint process did not start (its errors are above)");
        }
        return lines;
    }

    private static List<URI> alternate(List<Map<String, String>> told, String key) {
        List<List<URI>> lists = told.stream().map(lines -> urls(lines.get(key))).toList();
        List<URI> merged = new ArrayList<>();
        int longest = lists.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<URI> list : lists) {
                if (i < list.size()) {
                    merged.add(list.get(i));
                }
            }
        }
        return merged;
    }

    private static List<URI> urls(String ports) {
        if (ports == null || ports.isBlank()) {
            return List.of();
        }
        return Arrays.stream(ports.split(",")).map(p -> URI.create("https://127.0.0.1:" + p + "/")).toList();
    }

    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
