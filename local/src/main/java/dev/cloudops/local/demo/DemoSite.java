package dev.cloudops.local.demo;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.cloudops.CloudopsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A deliberately broken site on this machine: an HTTPS shop ({@value #SHOP_HOST}) whose certificate expires in 2
 * days and an API that answers 503; beside the API, a healthy status page. Both names are under {@code localhost}
 * (RFC 6761), so probing them asks a DNS resolver (the demo's). The shop's certificates are issued by a demo
 * certificate authority made with the JDK's keytool and trusted only by the demo's configuration: the expiring
 * one, and the one a renewal brings (valid for a year), which {@link #renew()} starts serving and
 * {@link #expire()} replaces with the expiring one again.
 */
public final class DemoSite implements AutoCloseable {

    /** The shop's name, in the demo account's hosted zone. */
    public static final String SHOP_HOST = "shop.demo.localhost";

    private static final char[] PASSWORD = "cloudops-demo".toCharArray();

    /** A certificate the shop can serve: the key manager holding it with its chain, and its expiry. */
    private record Served(X509ExtendedKeyManager keys, Instant notAfter) {
    }

    private final HttpsServer shop;
    private final HttpServer api;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Path authority;
    private final Served expiring;
    private final Served renewed;
    private volatile Served serving;

    private DemoSite(HttpsServer shop, HttpServer api, Path authority, Served expiring, Served renewed) {
        this.shop = shop;
        this.api = api;
        this.authority = authority;
        this.expiring = expiring;
        this.renewed = renewed;
        this.serving = expiring;
    }

    /** Makes the certificates in {@code dir} and starts both servers on free loopback ports. */
    public static DemoSite start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("demo.p12");
            Path request = dir.resolve("shop.csr");
            Path expiringPem = dir.resolve("shop-expiring.pem");
            Path renewedPem = dir.resolve("shop-renewed.pem");
            Path authorityPem = dir.resolve("demo-ca.pem");
            for (Path p : List.of(keystore, request, expiringPem, renewedPem)) {
                Files.deleteIfExists(p);
            }
            List<String> store = List.of("-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass",
                    new String(PASSWORD));
            keytool(List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=cloudops demo CA", "-ext", "bc:c", "-startdate", "-1d", "-validity", "3650"), store);
            keytool(List.of("-genkeypair", "-alias", "shop", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + SHOP_HOST), store);
            keytool(List.of("-certreq", "-alias", "shop", "-file", request.toString()), store);
            // Valid from 12 hours ago for 3 days: 2.5 days left, so "in 2 days" holds for 12 hours.
            keytool(List.of("-gencert", "-alias", "ca", "-infile", request.toString(), "-outfile",
                    expiringPem.toString(), "-rfc", "-ext", "SAN=dns:" + SHOP_HOST, "-startdate", "-12H",
                    "-validity", "3"), store);
            keytool(List.of("-gencert", "-alias", "ca", "-infile", request.toString(), "-outfile",
                    renewedPem.toString(), "-rfc", "-ext", "SAN=dns:" + SHOP_HOST, "-startdate", "-1H",
                    "-validity", "365"), store);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            PrivateKey key = (PrivateKey) keys.getKey("shop", PASSWORD);
            X509Certificate ca = (X509Certificate) keys.getCertificate("ca");
            Files.writeString(authorityPem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            Served expiring = served(key, read(expiringPem), ca);
            Served renewed = served(key, read(renewedPem), ca);
            HttpsServer shop = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DemoSite site = new DemoSite(shop, api, authorityPem, expiring, renewed);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {site.new Switching()}, null, null);
            shop.setHttpsConfigurator(new HttpsConfigurator(tls));
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

    /** The shop, by name; its certificate expires in 2 days until a renewal. */
    public URI shopUrl() {
        return URI.create("https://" + SHOP_HOST + ":" + shop.getAddress().getPort() + "/");
    }

    /** The API, which answers 503. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/api/health");
    }

    /**
     * The status page, which is healthy: by name, so a probe resolves {@code status.localhost} through its DNS
     * resolvers (the API is addressed by IP, which no resolver is asked about).
     */
    public URI statusUrl() {
        return URI.create("http://status.localhost:" + api.getAddress().getPort() + "/status");
    }

    /** The demo certificate authority (PEM) that issues the shop's certificates, for the configuration's trust list. */
    public Path authority() {
        return authority;
    }

    /** When the certificate the shop serves now expires. */
    public Instant expiresAt() {
        return serving.notAfter();
    }

    /** The renewal arrived: new connections get the certificate valid for a year. */
    public void renew() {
        serving = renewed;
    }

    /** The renewal is gone (a year later): new connections get a certificate expiring in 2 days again. */
    public void expire() {
        serving = expiring;
    }

    /**
     * The shop's key manager: the key and chain of the certificate served now, so a switch takes effect from the next
     * handshake (a probe makes a new one each time; the server cannot change its TLS context once started).
     */
    private final class Switching extends X509ExtendedKeyManager {

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return serving.keys().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return serving.keys().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return serving.keys().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return serving.keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return serving.keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return serving.keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return serving.keys().getPrivateKey(alias);
        }
    }

    private static Served served(PrivateKey key, X509Certificate leaf, X509Certificate ca)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, PASSWORD);
        store.setKeyEntry("shop", key, PASSWORD, new Certificate[] {leaf, ca});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        return new Served((X509ExtendedKeyManager) keys.getKeyManagers()[0], leaf.getNotAfter().toInstant());
    }

    private static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void keytool(List<String> args, List<String> store) throws IOException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(args);
        command.addAll(store);
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
