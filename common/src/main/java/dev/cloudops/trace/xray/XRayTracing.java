package dev.cloudops.trace.xray;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.emitters.UDPEmitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.LocalizedSamplingStrategy;
import dev.cloudops.trace.Tracing;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Tracing into the X-Ray trace Lambda starts for each invocation ({@code Tracing: Active}): subsegments go to
 * the X-Ray daemon Lambda runs at {@code AWS_XRAY_DAEMON_ADDRESS}, under the function's segment named by the
 * invocation's trace header ({@code _X_AMZN_TRACE_ID}, or the {@code com.amazonaws.xray.traceHeader} system
 * property the Java runtime sets per invocation). Only sampled invocations are recorded; otherwise, and
 * while the function initialises (no header yet), the work just runs.
 */
public final class XRayTracing implements Tracing {

    private static final Logger LOG = LoggerFactory.getLogger(XRayTracing.class);
    private static final String HEADER_VARIABLE = "_X_AMZN_TRACE_ID";
    private static final String HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final AWSXRayRecorder recorder;
    private final SegmentContext context;
    private final Supplier<String> header;
    private final List<ExecutionInterceptor> interceptors;

    private XRayTracing(AWSXRayRecorder recorder, SegmentContext context, Supplier<String> header) {
        this.recorder = recorder;
        this.context = context;
        this.header = header;
        this.interceptors = List.of(new SampledCalls(new TracingInterceptor(recorder, null, null)));
    }

    /**
     * Tracing to the daemon at {@code address} ({@code host:port}, as Lambda sets it), or {@link Tracing#NONE}
     * when there is no daemon (outside Lambda) or no emitter could be made.
     */
    public static Tracing toDaemon(Optional<String> address) {
        if (address.isEmpty()) {
            return Tracing.NONE;
        }
        try {
            return new XRayTracing(recorder(address.get()), new LambdaSegmentContext(), XRayTracing::invocationHeader);
        } catch (SocketException | RuntimeException | LinkageError e) {
            LOG.warn("X-Ray tracing is off: no emitter for the daemon at {}: {}", address.get(), e.toString());
            return Tracing.NONE;
        }
    }

    private static AWSXRayRecorder recorder(String address) throws SocketException {
        DaemonConfiguration daemon = new DaemonConfiguration();
        daemon.setDaemonAddress(address);
        SegmentContextResolverChain contexts = new SegmentContextResolverChain();
        // Lambda's context whether or not LAMBDA_TASK_ROOT is set: the trace header says where subsegments go.
        LambdaSegmentContext lambda = new LambdaSegmentContext();
        contexts.addResolver(() -> lambda);
        AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard()
                // Lambda makes the sampling decision; a local strategy keeps the centralized rule poller off.
                .withSamplingStrategy(new LocalizedSamplingStrategy())
                .withSegmentContextResolverChain(contexts)
                .withEmitter(new UDPEmitter(daemon))
                .build();
        // Lambda sets AWS_XRAY_CONTEXT_MISSING=LOG_ERROR, which the builder obeys; a call outside an
        // invocation must neither throw nor log.
        recorder.setContextMissingStrategy(new IgnoreErrorContextMissingStrategy());
        return recorder;
    }

    /** The current invocation's trace header, as the X-Ray SDK reads it in Lambda. */
    private static String invocationHeader() {
        String variable = System.getenv(HEADER_VARIABLE);
        return variable != null && !variable.isEmpty() ? variable : System.getProperty(HEADER_PROPERTY);
    }

    /** True when this invocation is traced and sampled, so subsegments have somewhere to go. */
    private boolean sampled() {
        String value = header.get();
        if (value == null || value.isEmpty()) {
            return false;
        }
        TraceHeader parsed = TraceHeader.fromString(value);
        return parsed.getRootTraceId() != null && parsed.getParentId() != null
                && parsed.getSampled() == TraceHeader.SampleDecision.SAMPLED;
    }

    @Override
    public <T, E extends Exception> T subsegment(String name, Work<T, E> work) throws E {
        Entity origin = null;
        Subsegment subsegment = null;
        try {
            if (sampled()) {
                origin = context.getTraceEntity();
                subsegment = recorder.beginSubsegment(name);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("could not start the {} subsegment", name, e);
            subsegment = null;
            try {
                restore(origin);
            } catch (RuntimeException | LinkageError ignored) {
                // the thread keeps whatever the recorder left; the work still runs
            }
        }
        if (subsegment == null) {
            return work.run(Span.NONE);
        }
        try {
            return work.run(new XRaySpan(subsegment));
        } catch (Throwable t) {
            record(subsegment, t);
            throw t;
        } finally {
            end(subsegment, origin);
        }
    }

    private static void record(Subsegment subsegment, Throwable t) {
        try {
            subsegment.addException(t);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("could not record an exception on the {} subsegment", subsegment.getName(), e);
        }
    }

    private void end(Subsegment subsegment, Entity origin) {
        try {
            // A top-level subsegment is sent as it ends; a late child waits for that (see sendIfLate).
            synchronized (top(subsegment)) {
                recorder.endSubsegment(subsegment);
            }
            sendIfLate(subsegment);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("could not end the {} subsegment", subsegment.getName(), e);
        } finally {
            restore(origin);
        }
    }

    /**
     * Sends a subsegment that ended after the top-level subsegment holding it was sent (as in progress): a call
     * on the async client whose interceptor finishes after the caller moved on, a probe abandoned at the
     * deadline. X-Ray keeps the later, complete document of the same id.
     */
    private void sendIfLate(Subsegment ended) {
        Entity top = top(ended);
        // Under the top-level subsegment's lock, so a complete child is never sent before the document that
        // holds it in progress.
        synchronized (top) {
            if (top != ended && top.isEmitted()) {
                recorder.getEmitter().sendSubsegment(ended);
            }
        }
    }

    /** The subsegment under the function's segment that holds this one (itself when it is top-level). */
    private static Entity top(Subsegment subsegment) {
        Entity top = subsegment;
        while (top.getParent() instanceof Subsegment parent) {
            top = parent;
        }
        return top;
    }

    private void restore(Entity origin) {
        if (origin == null) {
            context.clearTraceEntity();
        } else {
            context.setTraceEntity(origin);
        }
    }

    @Override
    public Runnable carry(Runnable task) {
        Entity parent = context.getTraceEntity();
        if (parent == null) {
            return task;
        }
        return () -> {
            Entity previous = context.getTraceEntity();
            context.setTraceEntity(parent);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    @Override
    public <T> Callable<T> carry(Callable<T> task) {
        Entity parent = context.getTraceEntity();
        if (parent == null) {
            return task;
        }
        return () -> {
            Entity previous = context.getTraceEntity();
            context.setTraceEntity(parent);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    @Override
    public List<ExecutionInterceptor> sdkInterceptors() {
        return interceptors;
    }

    /** A subsegment's annotations and error flag; a value X-Ray refuses is dropped, never thrown. */
    private record XRaySpan(Subsegment subsegment) implements Span {

        @Override
        public Span annotate(String key, String value) {
            if (value != null) {
                safely(() -> subsegment.putAnnotation(key, value));
            }
            return this;
        }

        @Override
        public Span annotate(String key, long value) {
            safely(() -> subsegment.putAnnotation(key, value));
            return this;
        }

        @Override
        public Span annotate(String key, boolean value) {
            safely(() -> subsegment.putAnnotation(key, value));
            return this;
        }

        @Override
        public void markError() {
            safely(() -> subsegment.setError(true));
        }

        private void safely(Runnable change) {
            try {
                change.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("could not change the {} subsegment", subsegment.getName(), e);
            }
        }
    }

    /**
     * The X-Ray SDK's interceptor for sampled invocations only (outside one, during INIT or for a call the
     * sampler left out, it would open a subsegment with nowhere to go and log a warning per call), and never
     * failing the call it records.
     */
    private final class SampledCalls implements ExecutionInterceptor {

        private final TracingInterceptor traced;

        SampledCalls(TracingInterceptor traced) {
            this.traced = traced;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            // The later callbacks find no subsegment in the attributes when this one opened none.
            if (sampled()) {
                safely("beforeExecution", () -> traced.beforeExecution(context, attributes));
            }
        }

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            try {
                return traced.modifyHttpRequest(context, attributes);
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("X-Ray could not add its trace header to an SDK call", e);
                return context.httpRequest();
            }
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            safely("beforeTransmission", () -> traced.beforeTransmission(context, attributes));
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            safely("afterExecution", () -> {
                traced.afterExecution(context, attributes);
                ended(attributes);
            });
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            safely("onExecutionFailure", () -> {
                traced.onExecutionFailure(context, attributes);
                ended(attributes);
            });
        }

        private void ended(ExecutionAttributes attributes) {
            Subsegment call = attributes.getAttribute(TracingInterceptor.entityKey);
            if (call != null) {
                sendIfLate(call);
            }
        }

        private void safely(String callback, Runnable step) {
            try {
                step.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("X-Ray failed in {} of an SDK call", callback, e);
            }
        }
    }
}
