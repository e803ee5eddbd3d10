package dev.cloudops.local.demo;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.cloudops.CloudopsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A deliberately broken site on this machine: an HTTPS shop whose certificate expires in 2 days (made with
 * the JDK's keytool, trusted only by the demo's configuration) and an API that answers 503; beside the API, a
 * healthy status page, addressed by name ({@code status.localhost}) so that probing it asks a DNS resolver.
 */
public final class DemoSite implements AutoCloseable {

    private static final char[] PASSWORD = "cloudops-demo".toCharArray();

    private final HttpsServer shop;
    private final HttpServer api;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Path certificate;

    private DemoSite(HttpsServer shop, HttpServer api, Path certificate) {
        this.shop = shop;
        this.api = api;
        this.certificate = certificate;
    }

    /** Makes the certificate in {@code dir} and starts both servers on free loopback ports. */
    public static DemoSite start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("demo-shop.p12");
            Path pem = dir.resolve("demo-shop.pem");
            Files.deleteIfExists(keystore);
            keytool(List.of("-genkeypair", "-alias", "shop", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    // Valid from 12 hours ago for 3 days: 2.5 days left, so "in 2 days" holds for 12 hours.
                    "-startdate", "-12H", "-validity", "3",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
            keytool(List.of("-exportcert", "-rfc", "-alias", "shop", "-keystore", keystore.toString(),
                    "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-file", pem.toString()));
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            HttpsServer shop = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            shop.setHttpsConfigurator(new HttpsConfigurator(tls));
            HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DemoSite site = new DemoSite(shop, api, pem);
            shop.createContext("/", exchange -> respond(exchange, 200, "<h1>Demo shop</h1><p>Welcome.</p>"));
            api.createContext("/status", exchange -> respond(exchange, 200, "<h1>Status</h1><p>All systems go.</p>"));
            api.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Server", "CloudFront");
                exchange.getResponseHeaders().add("X-Cache", "Error from cloudfront");
                respond(exchange, 503, "Service Unavailable");
            });
            shop.setExecutor(site.threads);
            api.setExecutor(site.threads);
            shop.start();
            api.start();
            return site;
        } catch (IOException | GeneralSecurityException e) {
            throw new CloudopsException("the demo site cannot start: " + e.getMessage(), e);
        }
    }

    /** The shop, whose certificate expires in 2 days. */
    public URI shopUrl() {
        return URI.create("https://127.0.0.1:" + shop.getAddress().getPort() + "/");
    }

    /** The API, which answers 503. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/api/health");
    }

    /**
     * The status page, which is healthy: by name, so a probe resolves {@code status.localhost} through its DNS
     * resolvers (the shop and the API are addressed by IP, which no resolver is asked about).
     */
    public URI statusUrl() {
        return URI.create("http://status.localhost:" + api.getAddress().getPort() + "/status");
    }

    /** The shop's certificate (PEM), for the configuration's trust list. */
    public Path certificate() {
        return certificate;
    }

    private static void keytool(List<String> args) throws IOException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(tool.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        shop.stop(0);
        api.stop(0);
        threads.close();
    }
}
