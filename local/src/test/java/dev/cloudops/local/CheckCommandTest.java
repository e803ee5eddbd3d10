package dev.cloudops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.probe.TestSite;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The check command against a loopback site: exit status, per-layer output, diagnosis, JSON. */
class CheckCommandTest {

    private final TestSite site = TestSite.http();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        site.close();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CloudopsCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aHealthyUrl_exitsZero_andPrintsItsLayers() {
        int status = run("check", site.url("127.0.0.1", "/").toString());

        assertThat(status).isZero();
        assertThat(out.toString()).contains("HEALTHY", "DNS   DNS answers: 127.0.0.1 is an IP address", "HTTP  HTTP 200");
    }

    @Test
    void aFailingUrl_exitsOne_withTheFailingLayerAndADiagnosis() {
        int status = run("check", site.url("127.0.0.1", "/down").toString(), site.url("127.0.0.1", "/").toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("HTTP_ERROR at HTTP", "what failed: HTTP:", "answered 503",
                "diagnosis: 127.0.0.1 answers 503 (x-cache: Error from cloudfront)", "plan: manual.step");
        assertThat(err.toString()).contains("probed 2 of 2");
    }

    @Test
    void json_printsOneObjectPerUrl() throws Exception {
        int status = run("check", "--json", site.url("127.0.0.1", "/down").toString());

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(status).isEqualTo(1);
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("classification").asText()).isEqualTo("HTTP_ERROR");
        assertThat(json.get(0).path("failed_layer").asText()).isEqualTo("HTTP");
        assertThat(json.get(0).path("diagnosis").asText()).contains("answers 503");
        assertThat(json.get(0).path("layers")).isNotEmpty();
    }

    @Test
    void usageErrors_exitTwo_withTheReason() {
        assertThat(run("check", "ftp://example.com/")).isEqualTo(2);
        assertThat(err.toString()).contains("'ftp://example.com/' is not an http(s) URL");
        assertThat(run("check")).isEqualTo(2);
        assertThat(run("nonsense")).isEqualTo(2);
    }
}
