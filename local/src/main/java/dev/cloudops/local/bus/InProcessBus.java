package dev.cloudops.local.bus;

import dev.cloudops.orchestration.ExecutionTrigger;
import dev.cloudops.execution.ExecutionOutcome;
import dev.cloudops.execution.ExecutionRequest;
import dev.cloudops.execution.PlanExecutor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The execute topic on one machine: an approval hands {@code {alert_id, plan_hash}} to the executor on its own thread. */
public final class InProcessBus implements ExecutionTrigger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessBus.class);

    private final PlanExecutor executor;
    private final Consumer<ExecutionOutcome> outcomes;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public InProcessBus(PlanExecutor executor, Consumer<ExecutionOutcome> outcomes) {
        this.executor = executor;
        this.outcomes = outcomes;
    }

    @Override
    public void trigger(String alertId, String planHash) {
        threads.submit(() -> {
            try {
                outcomes.accept(executor.execute(new ExecutionRequest(alertId, planHash)));
            } catch (RuntimeException e) {
                LOG.error("execution of {} failed: {}", alertId, e.toString());
            }
        });
    }

    @Override
    public void close() {
        threads.close();
    }
}
