package dev.cloudops.probe;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real X.509 certificates made at test time: one test CA and leaves that are valid, expired, expiring, for the wrong host or self-signed. */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private final boolean rsa;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    /** Certificates with ECDSA P-256 keys. */
    public TestCertificates() {
        this(false);
    }

    private TestCertificates(boolean rsa) {
        this.rsa = rsa;
        caKeys = keyPair();
        Instant now = Instant.now();
        ca = sign(new X500Name("CN=cloudops test CA"), caKeys, new X500Name("CN=cloudops test CA"), caKeys,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true, List.of());
    }

    /** Certificates with RSA 2048 keys, the most common kind on public sites. */
    public static TestCertificates rsa() {
        return new TestCertificates(true);
    }

    /** The anchors a prober must trust to accept this CA's leaves. */
    public java.util.Set<TrustAnchor> anchors() {
        return java.util.Set.of(new TrustAnchor(ca, null));
    }

    /** A CA-signed leaf valid from a day ago until {@code validFor} from now (negative: already expired). */
    public Leaf leaf(Duration validFor, String... names) {
        Instant now = Instant.now();
        Instant notAfter = now.plus(validFor);
        Instant notBefore = validFor.isNegative() ? notAfter.minus(Duration.ofDays(90)) : now.minus(Duration.ofDays(1));
        KeyPair keys = keyPair();
        X509Certificate cert = sign(new X500Name("CN=" + names[0]), keys, new X500Name("CN=cloudops test CA"), caKeys,
                notBefore, notAfter, false, List.of(names));
        return new Leaf(keys, new X509Certificate[] {cert, ca});
    }

    /** A leaf that signs itself, for the "untrusted" case. */
    public Leaf selfSigned(String... names) {
        Instant now = Instant.now();
        KeyPair keys = keyPair();
        X509Certificate cert = sign(new X500Name("CN=" + names[0]), keys, new X500Name("CN=" + names[0]), keys,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), false, List.of(names));
        return new Leaf(keys, new X509Certificate[] {cert});
    }

    /** A server certificate with its private key and the chain it presents. */
    public record Leaf(KeyPair keys, X509Certificate[] chain) {

        public SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keys.getPrivate(), "x".toCharArray(), chain);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, "x".toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private KeyPair keyPair() {
        try {
            if (rsa) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            Instant notBefore, Instant notAfter, boolean ca, List<String> names) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String n : names) {
                    general.add(n.matches("[0-9.]+") || n.contains(":")
                            ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(n).getHostAddress())
                            : new GeneralName(GeneralName.dNSName, n));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
