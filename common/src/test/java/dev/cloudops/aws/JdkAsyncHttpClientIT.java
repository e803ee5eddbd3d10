package dev.cloudops.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.utils.AttributeMap;

/** The JDK-backed async HTTP client against a loopback HTTP server: what it sends, what it hands back. */
class JdkAsyncHttpClientIT {

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private SdkAsyncHttpClient client;
    private final AtomicReference<Received> received = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.start();
        client = JdkAsyncHttpClient.builder(Duration.ofSeconds(3)).buildWithDefaults(AttributeMap.empty());
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void execute_sendsTheMethodHeadersAndBody_asTheSdkSignedThem() throws Exception {
        serve("/agents", exchange -> {
            received.set(Received.from(exchange));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        String body = "{\"inputText\":\"why is shop.example.com down?\"}";
        SdkHttpRequest request = request(SdkHttpMethod.POST, "/agents?mode=plan")
                .putHeader("Host", "127.0.0.1:" + port())
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", String.valueOf(body.length()))
                .putHeader("X-Amz-Date", "20261127T095000Z")
                .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261127/eu-west-1/bedrock/aws4_request")
                .build();
        var handler = new RecordingHandler(Long.MAX_VALUE);

        client.execute(execute(request, content(body), handler)).get(5, TimeUnit.SECONDS);

        Received got = received.get();
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.uri()).isEqualTo("/agents?mode=plan");
        assertThat(got.headers().get("Content-type")).containsExactly("application/json");
        assertThat(got.headers().get("X-amz-date")).containsExactly("20261127T095000Z");
        assertThat(got.headers().get("Authorization")).singleElement().asString().startsWith("AWS4-HMAC-SHA256 ");
        assertThat(got.headers().get("Content-length")).containsExactly(String.valueOf(body.length()));
        assertThat(got.headers().get("Host")).containsExactly("127.0.0.1:" + port());
        assertThat(got.body()).isEqualTo(body);
        assertThat(handler.status()).isEqualTo(200);
    }

    @Test
    void execute_deliversAStreamedBodyInOrder_neverMoreThanRequested() throws Exception {
        serve("/stream", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (String part : List.of("one,", "two,", "three")) {
                    out.write(part.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    pause(50);
                }
            }
        });
        var handler = new RecordingHandler(1);

        CompletableFuture<Void> done = client.execute(execute(request(SdkHttpMethod.GET, "/stream").build(),
                null, handler));

        done.get(5, TimeUnit.SECONDS);
        assertThat(handler.status()).isEqualTo(200);
        assertThat(handler.headers().firstMatchingHeader("Content-Type")).hasValue("application/vnd.amazon.eventstream");
        assertThat(handler.body()).isEqualTo("one,two,three");
        assertThat(handler.completed).isTrue();
        assertThat(handler.overDelivered).as("buffers delivered beyond the subscriber's demand").hasValue(0);
    }

    @Test
    void execute_deliversAnErrorStatus_asHeadersAndBody_notAsAFailure() throws Exception {
        serve("/busy", exchange -> {
            byte[] answer = "{\"message\":\"slow down\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
            exchange.sendResponseHeaders(429, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        var handler = new RecordingHandler(Long.MAX_VALUE);

        client.execute(execute(request(SdkHttpMethod.POST, "/busy").build(), content("{}"), handler))
                .get(5, TimeUnit.SECONDS);

        assertThat(handler.status()).isEqualTo(429);
        assertThat(handler.headers().firstMatchingHeader("x-amzn-ErrorType")).hasValue("ThrottlingException");
        assertThat(handler.body()).isEqualTo("{\"message\":\"slow down\"}");
        assertThat(handler.error.get()).isNull();
    }

    @Test
    void aHandlerThatFailsOnTheHeaders_endsTheAttemptWithItsFailure_insteadOfHanging() {
        serve("/ok", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            }
        });
        var broken = new IllegalStateException("the SDK's handler failed");
        var handler = new RecordingHandler(Long.MAX_VALUE) {
            @Override
            public void onHeaders(SdkHttpResponse response) {
                throw broken;
            }
        };

        CompletableFuture<Void> done = client.execute(execute(request(SdkHttpMethod.GET, "/ok").build(), null,
                handler));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCause(broken);
    }

    @Test
    void execute_reportsARefusedConnection_toTheHandlerAndTheFuture() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://127.0.0.1:" + closedPort + "/")).build();
        var handler = new RecordingHandler(Long.MAX_VALUE);

        CompletableFuture<Void> done = client.execute(execute(request, null, handler));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ConnectException.class);
        assertThat(handler.error.get()).isInstanceOf(ConnectException.class);
        assertThat(handler.headers.get()).isNull();
    }

    @Test
    void cancel_whileTheBodyStreams_closesTheConnection() throws Exception {
        var clientGone = new CountDownLatch(1);
        serve("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 200; i++) {
                    out.write(("part " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    pause(50);
                }
            } catch (IOException expected) {
                clientGone.countDown();
            }
        });
        var handler = new RecordingHandler(Long.MAX_VALUE);
        CompletableFuture<Void> done = client.execute(execute(request(SdkHttpMethod.GET, "/endless").build(),
                null, handler));
        handler.firstBuffer.await(5, TimeUnit.SECONDS);

        done.cancel(true);

        assertThat(clientGone.await(5, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
        assertThat(handler.completed).isFalse();
    }

    @Test
    void cancel_beforeTheResponse_deliversNoHeaders() throws Exception {
        var answered = new CountDownLatch(1);
        serve("/slow", exchange -> {
            pause(500);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            answered.countDown();
        });
        var handler = new RecordingHandler(Long.MAX_VALUE);
        CompletableFuture<Void> done = client.execute(execute(request(SdkHttpMethod.GET, "/slow").build(),
                null, handler));

        done.cancel(true);

        answered.await(5, TimeUnit.SECONDS);
        pause(200);
        assertThat(done).isCancelled();
        assertThat(handler.headers.get()).isNull();
    }

    private void serve(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private SdkHttpRequest.Builder request(SdkHttpMethod method, String pathAndQuery) {
        return SdkHttpRequest.builder().method(method).uri(URI.create("http://127.0.0.1:" + port() + pathAndQuery));
    }

    private static AsyncExecuteRequest execute(SdkHttpRequest request, SdkHttpContentPublisher content,
                                               SdkAsyncHttpResponseHandler handler) {
        return AsyncExecuteRequest.builder().request(request).requestContentPublisher(content)
                .responseHandler(handler).build();
    }

    /** Request content as the SDK hands it over: a publisher that knows its length. */
    private static SdkHttpContentPublisher content(String body) {
        AsyncRequestBody source = AsyncRequestBody.fromString(body);
        return new SdkHttpContentPublisher() {
            @Override
            public Optional<Long> contentLength() {
                return source.contentLength();
            }

            @Override
            public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
                source.subscribe(subscriber);
            }
        };
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Received(String method, String uri, Map<String, List<String>> headers, String body) {
        static Received from(HttpExchange exchange) throws IOException {
            return new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Records what the client hands to the SDK, requesting {@code batch} buffers at a time. */
    private static class RecordingHandler implements SdkAsyncHttpResponseHandler {
        private final long batch;
        final AtomicReference<SdkHttpResponse> headers = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicInteger overDelivered = new AtomicInteger();
        final CountDownLatch firstBuffer = new CountDownLatch(1);
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile boolean completed;

        RecordingHandler(long batch) {
            this.batch = batch;
        }

        @Override
        public void onHeaders(SdkHttpResponse response) {
            headers.set(response);
        }

        @Override
        public void onStream(Publisher<ByteBuffer> stream) {
            stream.subscribe(new Subscriber<>() {
                private Subscription subscription;
                private long outstanding;

                @Override
                public void onSubscribe(Subscription s) {
                    subscription = s;
                    outstanding = batch;
                    s.request(batch);
                }

                @Override
                public void onNext(ByteBuffer buffer) {
                    if (batch != Long.MAX_VALUE && --outstanding < 0) {
                        overDelivered.incrementAndGet();
                    }
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    synchronized (body) {
                        body.writeBytes(bytes);
                    }
                    firstBuffer.countDown();
                    if (batch != Long.MAX_VALUE && outstanding == 0) {
                        outstanding = batch;
                        subscription.request(batch);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    error.set(t);
                }

                @Override
                public void onComplete() {
                    completed = true;
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        int status() {
            return headers.get().statusCode();
        }

        SdkHttpResponse headers() {
            return headers.get();
        }

        String body() {
            synchronized (body) {
                return body.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
