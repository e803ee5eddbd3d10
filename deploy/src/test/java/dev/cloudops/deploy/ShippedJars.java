package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudops.testing.ShippedFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped function jars as the tests start and drive them: the handler template.yaml names, the event files. */
final class ShippedJars {

    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern PLAN_HASH = Pattern.compile("name=\"plan_hash\" value=\"([0-9a-f]{64})\"");

    private ShippedJars() {
    }

    /** The function's jar as the Makefile copies it, started with the handler template.yaml names. */
    static ShippedFunction start(String function, String module, Map<String, String> env) {
        String handler = Template.committed().resource(function).path("Properties").path("Handler").asText()
                .split("::")[0];
        return ShippedFunction.start(root().resolve(module).resolve("target").resolve(module + ".jar"), handler, env);
    }

    /** An event file of a function module's handler tests, its {@code ${NAME}} placeholders filled (JSON-escaped). */
    static byte[] event(String module, String name, Map<String, String> vars) {
        try {
            String text = Files.readString(root().resolve(module).resolve("src/test/resources/events").resolve(name));
            for (var v : vars.entrySet()) {
                String escaped = Template.JSON.writeValueAsString(v.getValue());
                text = text.replace("${" + v.getKey() + "}", escaped.substring(1, escaped.length() - 1));
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hidden field of the review page's form, as a browser would send it back. */
    static String field(Pattern field, String html) {
        Matcher m = field.matcher(html);
        assertThat(m.find()).as("the field " + field + " in the review page").isTrue();
        return m.group(1);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Path root() {
        return Template.file().getParent();
    }
}
