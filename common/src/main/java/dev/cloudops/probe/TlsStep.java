package dev.cloudops.probe;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS layer of a probe: the handshake on an open connection (first offering one key share) and the
 * judgement of the certificate it brought. Apart because how the prober speaks TLS and what it checks in
 * a certificate change for reasons of their own.
 */
final class TlsStep {

    /**
     * The groups of a probe's first ClientHello: X25519 and X448 only, so it carries one key share. With
     * the JVM's list it carries two (X25519 and P-256) and the server uses one; making the other was
     * about a seventh of a probe's CPU (docs/performance.md). A server that refuses these is asked
     * again, on a new connection, with every group the JVM offers.
     */
    private static final String[] ONE_KEY_SHARE = {"x25519", "x448"};

    private final ProbeSettings settings;
    private final SSLSocketFactory tls;
    private final CertificateJudge judge;
    private final Clock clock;

    TlsStep(ProbeSettings settings, SSLSocketFactory tls, Clock clock) {
        this.settings = settings;
        this.tls = tls;
        this.judge = new CertificateJudge(settings.trustAnchors());
        this.clock = clock;
    }

    /** Sockets that complete every handshake, so the certificate can be judged here. */
    static SSLSocketFactory completingEveryHandshake() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new CapturingTrustManager()}, null);
            // Every probe must see the certificate the site serves now: no resumed sessions across runs.
            context.getClientSessionContext().setSessionTimeout(1);
            return context.getSocketFactory();
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /**
     * The handshake on an open connection: it must complete within the connect timeout of the peer's
     * time (the prober's own queueing for the CPU does not count). With {@code oneKeyShare}, offers only
     * X25519 and X448; if the handshake then fails on TLS grounds (servers say "no group in common" with
     * various alerts), nothing is recorded and {@code probe.refusedOneShare} is set, so the caller asks
     * again with the JVM's groups and that handshake decides. A timeout is final. Returns null when the
     * handshake did not complete.
     */
    SSLSocket handshake(ProbeProgress probe, PeerSocket socket, String serverName, int port, boolean oneKeyShare)
            throws InterruptedException {
        probe.refusedOneShare = false;
        try {
            SSLSocket secured = (SSLSocket) tls.createSocket(socket, serverName, port, true);
            if (oneKeyShare) {
                SSLParameters parameters = secured.getSSLParameters();
                parameters.setNamedGroups(ONE_KEY_SHARE);
                secured.setSSLParameters(parameters);
            }
            socket.budget(settings.connectTimeout());
            secured.startHandshake();
            return secured;
        } catch (IOException e) {
            ProbeIo.checkInterrupt();
            if (oneKeyShare && ProbeIo.cause(e, SSLException.class) != null
                    && ProbeIo.cause(e, SocketTimeoutException.class) == null) {
                probe.refusedOneShare = true;
                return null;
            }
            if (ProbeIo.cause(e, SocketTimeoutException.class) != null) {
                probe.fail(Classification.TIMEOUT, Layer.TLS, "TLS: the handshake with " + serverName
                        + " did not complete within " + ProbeIo.seconds(settings.connectTimeout()));
            } else {
                SSLException ssl = ProbeIo.cause(e, SSLException.class);
                probe.fail(Classification.TLS_ERROR, Layer.TLS, "TLS: the handshake with " + serverName + " failed: "
                        + (ssl != null ? ssl.getMessage() : e.getMessage()));
            }
            return null;
        }
    }

    /** The verdict on the certificate of {@code session}, also recorded in {@code probe}; null if it brought none. */
    CertificateJudge.Verdict judge(ProbeProgress probe, SSLSession session) {
        try {
            X509Certificate[] chain = Arrays.stream(session.getPeerCertificates())
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                return null;
            }
            CertificateJudge.Verdict verdict = judge.judge(chain, probe.host, session.getProtocol(), clock.instant(),
                    probe.spec.certWarningDays());
            probe.certificate(verdict.info());
            return verdict;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
