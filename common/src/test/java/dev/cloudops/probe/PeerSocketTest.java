package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The peer's time is what counts: waits give the turn up, and only waiting on the peer uses the budget. */
class PeerSocketTest {

    private ServerSocket server;

    @BeforeEach
    void listen() throws Exception {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    @Test
    void whileWaitingOnASilentPeer_theTurnIsGivenUp_andTheTimeoutIsReportedWithoutWaitingForOne() throws Exception {
        // Taking a turn would cost 5 s of queueing: the timeout must not wait for it.
        RecordingTurn turn = new RecordingTurn(Duration.ofSeconds(5));
        turn.held = true;
        try (PeerSocket socket = connect(turn); Socket peer = server.accept()) {
            socket.budget(Duration.ofMillis(300));
            AtomicBoolean heldDuringWait = new AtomicBoolean(true);
            Thread watcher = Thread.ofPlatform().start(() -> {
                TestSite.sleep(150);
                heldDuringWait.set(turn.held);
            });

            long start = System.nanoTime();
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            long waited = (System.nanoTime() - start) / 1_000_000;
            watcher.join();

            assertThat(heldDuringWait).as("turn held while the peer was silent").isFalse();
            assertThat(turn.held).as("no turn taken back to report the timeout").isFalse();
            assertThat(waited).isBetween(250L, 2_000L);
        }
    }

    @Test
    void whenThePeerAnswers_theTurnIsTakenBack_andAClosedStreamNeedsNone() throws Exception {
        RecordingTurn turn = new RecordingTurn(Duration.ZERO);
        try (PeerSocket socket = connect(turn); Socket peer = server.accept()) {
            socket.budget(Duration.ofSeconds(2));
            InputStream in = socket.getInputStream();
            Thread.ofPlatform().start(() -> {
                try (peer) {
                    TestSite.sleep(100);
                    peer.getOutputStream().write('a');
                    peer.getOutputStream().flush();
                    TestSite.sleep(100);
                } catch (Exception e) {
                    // the client side fails the test if this does
                }
            });

            assertThat(in.read()).isEqualTo('a');
            assertThat(turn.held).as("turn taken back to work on the data").isTrue();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(turn.held).as("no turn needed for the end of the stream").isFalse();
        }
    }

    @Test
    void timeSpentWaitingForATurn_doesNotCountAgainstThePeer() throws Exception {
        // Each turn costs 400 ms of queueing, more than the whole budget; the peer itself answers fast.
        RecordingTurn slow = new RecordingTurn(Duration.ofMillis(400));
        try (PeerSocket socket = connect(slow); Socket peer = server.accept()) {
            socket.budget(Duration.ofMillis(300));
            InputStream in = socket.getInputStream();
            OutputStream out = peer.getOutputStream();
            Thread answers = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        TestSite.sleep(50);
                        out.write('a' + i);
                        out.flush();
                        peer.getInputStream().read(); // the next byte only after the client asks again
                    }
                } catch (Exception e) {
                    // the test fails on the client side if this does
                }
            });

            assertThat(in.read()).isEqualTo('a');
            socket.getOutputStream().write('?');
            assertThat(in.read()).isEqualTo('b');
            socket.getOutputStream().write('?');
            answers.join();
            assertThat(slow.queued).isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
        }
    }

    @Test
    void theBudget_isTheTotalWaitOnThePeer_notEachRead() throws Exception {
        RecordingTurn turn = new RecordingTurn(Duration.ZERO);
        try (PeerSocket socket = connect(turn); Socket peer = server.accept()) {
            socket.budget(Duration.ofMillis(250));
            InputStream in = socket.getInputStream();
            OutputStream out = peer.getOutputStream();
            Thread.ofPlatform().start(() -> {
                try {
                    TestSite.sleep(150);
                    out.write('a');
                    out.flush();
                    TestSite.sleep(1_000);
                    out.write('b');
                    out.flush();
                } catch (Exception e) {
                    // closed by the test
                }
            });

            assertThat(in.read()).isEqualTo('a');
            // 150 ms of the 250 ms are used: the second wait times out after about 100 ms, not 250.
            long start = System.nanoTime();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(600L);
        }
    }

    private PeerSocket connect(WorkTurn turn) throws Exception {
        PeerSocket socket = new PeerSocket(turn);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 1_000);
        return socket;
    }


    /** A turn that records whether it is held and costs {@code cost} of queueing each time it is taken. */
    private static final class RecordingTurn implements WorkTurn {
        private final Duration cost;
        private volatile boolean held;
        private long queued;

        RecordingTurn(Duration cost) {
            this.cost = cost;
        }

        @Override
        public void take() {
            if (!held) {
                long start = System.nanoTime();
                TestSite.sleep(cost.toMillis());
                queued += System.nanoTime() - start;
                held = true;
            }
        }

        @Override
        public void give() {
            held = false;
        }

        @Override
        public long queuedNanos() {
            return queued;
        }
    }
}
