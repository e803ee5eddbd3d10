package dev.cloudops.trace;

import java.util.List;
import java.util.concurrent.Callable;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Records the steps of an invocation (probe, agent, store, notify) as named subsegments of the function's
 * trace, and the AWS SDK calls made inside them. Tracing never changes the work's outcome: a step runs the
 * same, returns the same and throws the same with or without it, and a tracing failure is swallowed. Without
 * a sampled trace (the local runner, tests, a function's INIT) it only runs the work.
 */
public interface Tracing {

    /** Runs the work and records nothing. */
    Tracing NONE = new Tracing() {
        @Override
        public <T, E extends Exception> T subsegment(String name, Work<T, E> work) throws E {
            return work.run(Span.NONE);
        }

        @Override
        public Runnable carry(Runnable task) {
            return task;
        }

        @Override
        public <T> Callable<T> carry(Callable<T> task) {
            return task;
        }

        @Override
        public List<ExecutionInterceptor> sdkInterceptors() {
            return List.of();
        }
    };

    /**
     * Runs {@code work} as a subsegment called {@code name}, nested under the current one of this thread. An
     * exception from the work is recorded on the subsegment (a fault) and rethrown unchanged.
     */
    <T, E extends Exception> T subsegment(String name, Work<T, E> work) throws E;

    /** The task, run on another thread, nests its subsegments under this thread's current one. */
    Runnable carry(Runnable task);

    /** As {@link #carry(Runnable)}, for a task with a result. */
    <T> Callable<T> carry(Callable<T> task);

    /** What every SDK client registers so that each call is recorded as a subsegment (none without tracing). */
    List<ExecutionInterceptor> sdkInterceptors();

    /** A unit of work, given the span it runs in to annotate. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run(Span span) throws E;
    }

    /**
     * The subsegment a piece of work runs in. Annotations are indexed for searching traces, so they carry ids
     * and names (alert id, domain, channel), never secrets, tokens or message bodies.
     */
    interface Span {

        /** Records nothing. */
        Span NONE = new Span() {
            @Override
            public Span annotate(String key, String value) {
                return this;
            }

            @Override
            public Span annotate(String key, long value) {
                return this;
            }

            @Override
            public Span annotate(String key, boolean value) {
                return this;
            }

            @Override
            public void markError() {
            }
        };

        /** {@code key} is letters, digits and underscores (X-Ray's rule for annotation keys). */
        Span annotate(String key, String value);

        Span annotate(String key, long value);

        Span annotate(String key, boolean value);

        /** Marks the work as failed without an exception: an outcome such as a channel that refused a message. */
        void markError();
    }
}
