package dev.cloudops.approval.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An HTML resource with {@code {{name}}} placeholders, each filled with a safe {@link Html} fragment. */
final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    private final String name;
    private final String source;
    private final Set<String> placeholders = new HashSet<>();

    Template(String resource) {
        this.name = resource;
        this.source = read(resource);
        Matcher m = PLACEHOLDER.matcher(source);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
    }

    static String read(String resource) {
        try (InputStream in = Template.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page with every placeholder filled; a missing or unknown value is a programming error. */
    String render(Map<String, Html> values) {
        if (!values.keySet().equals(placeholders)) {
            throw new IllegalArgumentException(name + " has placeholders " + placeholders + ", given " + values.keySet());
        }
        Matcher m = PLACEHOLDER.matcher(source);
        StringBuilder out = new StringBuilder(source.length() * 2);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1)).markup()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
