package dev.cloudops.execution.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.execution.ExecutionRequest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of deferred executions must do (DynamoDB, SQLite): due ones oldest first, one per alert,
 * removable. Subclasses give a fresh, empty store.
 */
public abstract class DeferredExecutionsContract {

    protected static final Instant NOW = Instant.parse("2026-11-27T05:30:00Z");

    private DeferredExecutions deferred;

    /** A new, empty store; called once before each test. */
    protected abstract DeferredExecutions newStore();

    @BeforeEach
    public void open() {
        deferred = newStore();
    }

    @Test
    public void due_returnsTheRequestsDueByNow_oldestFirst() {
        deferred.schedule(new ExecutionRequest("alert-late", "h1"), NOW.minusSeconds(10));
        deferred.schedule(new ExecutionRequest("alert-early", "h2"), NOW.minusSeconds(3600));
        deferred.schedule(new ExecutionRequest("alert-exact", "h3"), NOW);
        deferred.schedule(new ExecutionRequest("alert-future", "h4"), NOW.plusSeconds(1));

        assertThat(deferred.due(NOW)).containsExactly(new ExecutionRequest("alert-early", "h2"),
                new ExecutionRequest("alert-late", "h1"), new ExecutionRequest("alert-exact", "h3"));
    }

    @Test
    public void schedule_replacesTheAlertsEarlierDeferral() {
        deferred.schedule(new ExecutionRequest("alert-a", "old-plan"), NOW.minusSeconds(60));

        deferred.schedule(new ExecutionRequest("alert-a", "new-plan"), NOW.plusSeconds(60));

        assertThat(deferred.due(NOW)).isEmpty();
        assertThat(deferred.due(NOW.plusSeconds(60))).containsExactly(new ExecutionRequest("alert-a", "new-plan"));
    }

    @Test
    public void remove_forgetsOnlyThatAlert() {
        deferred.schedule(new ExecutionRequest("alert-a", "h1"), NOW);
        deferred.schedule(new ExecutionRequest("alert-b", "h2"), NOW);

        deferred.remove("alert-a");
        deferred.remove("alert-never-scheduled");

        assertThat(deferred.due(NOW)).containsExactly(new ExecutionRequest("alert-b", "h2"));
    }
}
