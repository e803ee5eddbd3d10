package dev.cloudops.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * The TCP layer of a probe: opens the connection each request goes on, and words each way opening it
 * fails. Apart so the connect timeout and its failures are told in one place.
 */
final class TcpStep {

    private final ProbeSettings settings;

    TcpStep(ProbeSettings settings) {
        this.settings = settings;
    }

    /** An open connection to {@code address:port}, or null with the failure recorded in {@code probe}. */
    PeerSocket connect(ProbeProgress probe, InetAddress address, int port) throws InterruptedException {
        String target = (address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress()) + ":" + port;
        PeerSocket socket = new PeerSocket(probe.turn);
        try {
            socket.connect(new InetSocketAddress(address, port), (int) settings.connectTimeout().toMillis());
            return socket;
        } catch (SocketTimeoutException e) {
            ProbeIo.checkInterrupt();
            probe.fail(Classification.TIMEOUT, Layer.TCP, "TCP: the connection to " + target + " did not open within "
                    + ProbeIo.seconds(settings.connectTimeout()));
        } catch (ConnectException e) {
            ProbeIo.checkInterrupt();
            probe.fail(Classification.TCP_FAILURE, Layer.TCP, "TCP: the connection to " + target + " was refused");
        } catch (IOException e) {
            ProbeIo.checkInterrupt();
            probe.fail(Classification.TCP_FAILURE, Layer.TCP, "TCP: cannot connect to " + target + ": "
                    + e.getMessage());
        }
        ProbeIo.closeQuietly(socket);
        return null;
    }
}
