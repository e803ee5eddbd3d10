package dev.cloudops.local.demo;

import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When the demo's certificate problem comes back: once, after the first fix was verified (the demo account renewed
 * the certificate at least {@code after} ago) and a person has promoted a runbook, so the new alert is analysed by
 * that runbook. Checked on a schedule by the {@code demo} command; the promotion may come from another process.
 */
public final class DemoRecurrence {

    private final DemoCloud cloud;
    private final RunbookStore runbooks;
    private final Duration after;
    private final Clock clock;
    private final PrintStream console;
    private boolean recurred;

    public DemoRecurrence(DemoCloud cloud, RunbookStore runbooks, Duration after, Clock clock, PrintStream console) {
        this.cloud = cloud;
        this.runbooks = runbooks;
        this.after = after;
        this.clock = clock;
        this.console = console;
    }

    /** Lets the problem happen again if it is time; true when it did (only ever once). */
    public synchronized boolean check() {
        if (recurred || !cloud.renewed() || cloud.renewedAt().plus(after).isAfter(clock.instant())) {
            return false;
        }
        List<Runbook> active = runbooks.list(Runbook.Status.ACTIVE, 1);
        if (active.isEmpty()) {
            return false;
        }
        cloud.recur();
        recurred = true;
        synchronized (console) {
            console.println("[demo] A year later: " + DemoCloud.SOMEONE + " deleted the validation record "
                    + DemoCloud.VALIDATION_NAME + " again, so ACM cannot renew, and " + DemoSite.SHOP_HOST
                    + "'s certificate expires in 2 days once more. Runbook " + active.getFirst().id() + " is active "
                    + Optional.ofNullable(active.getFirst().promotedBy()).map(p -> "(promoted by " + p + ")")
                            .orElse("") + ": the next alert's plan comes from it, and still needs your approval.");
            console.flush();
        }
        return true;
    }
}
