package dev.cloudops.probe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import javax.net.ssl.SSLException;

/**
 * The HTTP exchange of a probe: one GET on a connection already open (and secured, for https), read
 * within the request timeout, and the wording of each way a connection fails once open. Apart from judging the answer,
 * which changes with what a probe expects rather than with how it asks.
 */
final class HttpStep {

    /** What one GET brought back: the response head, the body read, and the certificate verdict if judged. */
    record Hop(HttpExchange.Response response, byte[] body, CertificateJudge.Verdict tls) {
    }

    private final ProbeSettings settings;

    HttpStep(ProbeSettings settings) {
        this.settings = settings;
    }

    /**
     * Sends a GET for {@code url} on {@code channel} (the connection itself, or TLS over {@code socket})
     * and reads the answer, a body that cannot be read counting as empty. The caller reports a failure
     * to ask or to read the head with {@link #transportFailure}.
     */
    Hop get(PeerSocket socket, Socket channel, URI url, CertificateJudge.Verdict verdict)
            throws IOException, InterruptedException {
        socket.budget(settings.requestTimeout());
        InputStream in = new BufferedInputStream(channel.getInputStream());
        HttpExchange.sendGet(channel.getOutputStream(), url);
        HttpExchange.Response response = HttpExchange.readHead(in);
        socket.budget(settings.requestTimeout());
        return new Hop(response, readBody(in, response), verdict);
    }

    /**
     * Records a failure after the connection opened (and the handshake, for https), while asking or
     * reading, or while waiting for the turn to do so.
     */
    ProbeResult transportFailure(ProbeProgress probe, URI url, IOException e) throws InterruptedException {
        ProbeIo.checkInterrupt();
        if (ProbeIo.cause(e, SocketTimeoutException.class) != null) {
            return probe.fail(Classification.TIMEOUT, Layer.HTTP, "HTTP: no response from " + url + " within "
                    + ProbeIo.seconds(settings.requestTimeout()));
        }
        SSLException ssl = ProbeIo.cause(e, SSLException.class);
        if (ssl != null) {
            return probe.fail(Classification.TLS_ERROR, Layer.TLS, "TLS: the connection with " + url.getHost()
                    + " failed: " + ssl.getMessage());
        }
        return probe.fail(Classification.HTTP_ERROR, Layer.HTTP, "HTTP: the request to " + url + " failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /** The body up to the size limit; one that cannot be read in time counts as empty. */
    private byte[] readBody(InputStream in, HttpExchange.Response response) throws InterruptedException {
        try {
            return HttpExchange.readBody(in, response, settings.maxBodyBytes());
        } catch (IOException | NumberFormatException e) {
            ProbeIo.checkInterrupt();
            return new byte[0];
        }
    }
}
