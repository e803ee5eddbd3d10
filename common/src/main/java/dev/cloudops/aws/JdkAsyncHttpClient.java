package dev.cloudops.aws;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.FlowAdapters;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The SDK's asynchronous HTTP client over the JDK's {@link HttpClient} (HTTP/1.1), for the clients that
 * exist only as async clients: no Netty, no native library. The future {@link #execute} returns completes
 * when the response body has been read to its end; completing it exceptionally (or cancelling it) aborts
 * the exchange.
 */
public final class JdkAsyncHttpClient implements SdkAsyncHttpClient {

    // Headers the JDK client sets itself (it refuses most of them from callers); Expect maps to expectContinue.
    private static final Set<String> SET_BY_THE_JDK = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding");

    private final HttpClient http;

    private JdkAsyncHttpClient(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A builder for the SDK's {@code httpClientBuilder(...)}: the SDK closes what it builds with its client. */
    public static Builder builder(Duration connectTimeout) {
        return new Builder(connectTimeout);
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        var done = new CompletableFuture<Void>();
        SdkAsyncHttpResponseHandler handler = request.responseHandler();
        HttpRequest jdkRequest;
        try {
            jdkRequest = toJdk(request.request(), request.requestContentPublisher());
        } catch (IllegalArgumentException unsendable) { // a header or method the JDK client refuses
            handler.onError(unsendable);
            return CompletableFuture.failedFuture(unsendable);
        }
        var body = new Body();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange =
                http.sendAsync(jdkRequest, BodyHandlers.ofPublisher());
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                handler.onError(cause);
                done.completeExceptionally(cause);
                return;
            }
            try {
                handler.onHeaders(SdkHttpFullResponse.builder()
                        .statusCode(response.statusCode())
                        .headers(response.headers().map())
                        .build());
                handler.onStream(SdkPublisher.adapt(FlowAdapters.toPublisher(body.of(response.body())))
                        .flatMapIterable(buffers -> buffers)
                        .doAfterOnComplete(() -> done.complete(null))
                        .doAfterOnError(done::completeExceptionally)
                        .doAfterOnCancel(() -> done.complete(null)));
            } catch (RuntimeException handlerFailed) { // the attempt ends with the handler's failure, never hangs
                done.completeExceptionally(handlerFailed);
            }
        });
        // The SDK aborts an attempt (timeouts, its caller's cancel) by completing this future exceptionally.
        done.whenComplete((ignored, failure) -> {
            if (failure != null) {
                exchange.cancel(true);
                body.cancel();
            }
        });
        return done;
    }

    @Override
    public String clientName() {
        return "JdkAsync";
    }

    /** Aborts what is still in flight and releases the client's connections and threads. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    private static HttpRequest toJdk(SdkHttpRequest request, SdkHttpContentPublisher content) {
        var builder = HttpRequest.newBuilder(request.getUri());
        request.forEachHeader((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("expect")) {
                builder.expectContinue(values.stream().anyMatch(v -> v.equalsIgnoreCase("100-continue")));
            } else if (!SET_BY_THE_JDK.contains(lower)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.method(request.method().name(), bodyOf(request, content)).build();
    }

    /** The request content with the length the SDK signed, or chunked when neither knows it. */
    private static BodyPublisher bodyOf(SdkHttpRequest request, SdkHttpContentPublisher content) {
        if (content == null) {
            return BodyPublishers.noBody();
        }
        long length = content.contentLength()
                .or(() -> request.firstMatchingHeader("Content-Length").map(Long::parseLong))
                .orElse(-1L);
        if (length == 0) {
            return BodyPublishers.noBody();
        }
        Flow.Publisher<ByteBuffer> flow = FlowAdapters.toFlowPublisher(content);
        return length > 0 ? BodyPublishers.fromPublisher(flow, length) : BodyPublishers.fromPublisher(flow);
    }

    /** The response body; its subscription is cancelled if the exchange is aborted, whenever that comes. */
    private static final class Body {
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        private final AtomicBoolean cancelled = new AtomicBoolean();

        Flow.Publisher<List<ByteBuffer>> of(Flow.Publisher<List<ByteBuffer>> source) {
            return subscriber -> source.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                    subscriber.onSubscribe(s);
                    if (cancelled.get()) {
                        s.cancel();
                    }
                }

                @Override
                public void onNext(List<ByteBuffer> buffers) {
                    subscriber.onNext(buffers);
                }

                @Override
                public void onError(Throwable failure) {
                    subscriber.onError(failure);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }

        void cancel() {
            cancelled.set(true);
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Builds the client with its connect timeout; the SDK's service defaults do not apply to it. */
    public static final class Builder implements SdkAsyncHttpClient.Builder<Builder> {
        private final Duration connectTimeout;

        private Builder(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        }

        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return new JdkAsyncHttpClient(connectTimeout);
        }
    }
}
