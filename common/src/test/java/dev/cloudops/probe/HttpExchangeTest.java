package dev.cloudops.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpExchangeTest {

    @Test
    void theRequest_isAPlainGet_withHostPortAndQuery() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        HttpExchange.sendGet(out, URI.create("https://shop.example.com:8443/a%20b?x=1&y=2"));

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("GET /a%20b?x=1&y=2 HTTP/1.1\r\n"
                + "Host: shop.example.com:8443\r\nUser-Agent: cloudops-agent-probe/1.0\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n");
    }

    @Test
    void anEmptyPath_asksForTheRoot() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        HttpExchange.sendGet(out, URI.create("http://example.com"));

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).startsWith("GET / HTTP/1.1\r\nHost: example.com\r\n");
    }

    @Test
    void aSizedBody_isReadToItsLength_andHeadersAreFoundWhateverTheirCase() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nX-Cache: Hit from cloudfront\r\nContent-Length: 5\r\n\r\nhelloEXTRA");

        HttpExchange.Response head = HttpExchange.readHead(in);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.first("x-cache")).contains("Hit from cloudfront");
        assertThat(new String(HttpExchange.readBody(in, head, 1024), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void aChunkedBody_isDecoded_andCutAtTheLimit() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nWelco\r\n7\r\nme shop\r\n0\r\n\r\n";

        InputStream whole = stream(response);
        HttpExchange.Response head = HttpExchange.readHead(whole);
        InputStream cut = stream(response);
        HttpExchange.Response sameHead = HttpExchange.readHead(cut);

        assertThat(new String(HttpExchange.readBody(whole, head, 1024), StandardCharsets.UTF_8))
                .isEqualTo("Welcome shop");
        assertThat(new String(HttpExchange.readBody(cut, sameHead, 7), StandardCharsets.UTF_8)).isEqualTo("Welcome");
    }

    @Test
    void aBodyWithoutLength_isReadUntilTheConnectionCloses() throws Exception {
        InputStream in = stream("HTTP/1.0 503 Service Unavailable\r\nServer: CloudFront\r\n\r\nbusy, try later");

        HttpExchange.Response head = HttpExchange.readHead(in);

        assertThat(head.status()).isEqualTo(503);
        assertThat(new String(HttpExchange.readBody(in, head, 1024), StandardCharsets.UTF_8)).isEqualTo("busy, try later");
    }

    @Test
    void interimResponses_areSkipped() throws Exception {
        InputStream in = stream("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n");

        HttpExchange.Response head = HttpExchange.readHead(in);

        assertThat(head.status()).isEqualTo(302);
        assertThat(head.first("location")).contains("/next");
    }

    @Test
    void somethingThatIsNotHttp_isAProtocolError_thatShowsWhatCame() {
        assertThatThrownBy(() -> HttpExchange.readHead(stream("SSH-2.0-OpenSSH_9.6\r\n")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("not an HTTP status line: 'SSH-2.0-OpenSSH_9.6'");
        assertThatThrownBy(() -> HttpExchange.readHead(stream("")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("closed the connection without answering");
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
