package dev.cloudops.probe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A plain socket whose reads give up the probe's {@link WorkTurn} while they wait on the peer and
 * count only that waiting against the current budget; the turn is taken back only when data
 * arrives. A TLS socket layered on top reads through it too, so a handshake with a silent peer waits
 * without holding the CPU, and its timeout measures the peer's silence, never the prober's own queue.
 */
final class PeerSocket extends Socket {

    private final WorkTurn turn;
    private InputStream in;
    private long budgetNanos = Long.MAX_VALUE;
    private long waitedNanos;

    PeerSocket(WorkTurn turn) {
        this.turn = turn;
    }

    /** Starts a phase: from now on the peer may keep us waiting {@code budget} in all before reads time out. */
    void budget(Duration budget) {
        budgetNanos = budget.toNanos();
        waitedNanos = 0;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Waiting(super.getInputStream());
        }
        return in;
    }

    private final class Waiting extends FilterInputStream {

        Waiting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0 || in.available() > 0) {
                return in.read(buffer, offset, length); // already here: no waiting, keep the turn
            }
            long left = budgetNanos - waitedNanos;
            if (left <= 0) {
                throw new SocketTimeoutException("the peer's time is up");
            }
            setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceilDiv(left, 1_000_000))));
            turn.give();
            long start = System.nanoTime();
            int n;
            try {
                n = in.read(buffer, offset, length);
                if (n > 0) {
                    // Counted as the peer's time: a prober too busy to see an answer looks like a slow peer,
                    // which is why the run watches its own load and re-checks timeouts it may have caused.
                    turn.woke();
                }
            } finally {
                waitedNanos += System.nanoTime() - start;
            }
            // Only data needs the CPU: a timeout, a reset or the end of the stream is reported at once,
            // without queueing behind the probes that are still computing.
            if (n > 0) {
                turn.take();
            }
            return n;
        }
    }
}
