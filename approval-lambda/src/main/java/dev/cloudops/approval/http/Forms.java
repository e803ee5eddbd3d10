package dev.cloudops.approval.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads {@code application/x-www-form-urlencoded} text (query strings and form bodies) strictly. */
public final class Forms {

    private Forms() {
    }

    /**
     * The fields of the text; {@code what} names it in errors.
     *
     * @throws MalformedRequestException when a field repeats or a value is not valid percent-encoding
     */
    public static Map<String, String> parse(String text, String what) {
        Map<String, String> fields = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException("the " + what + " has invalid percent-encoding");
            }
            if (fields.putIfAbsent(name, value) != null) {
                throw new MalformedRequestException("the " + what + " gives '" + name + "' more than once");
            }
        }
        return fields;
    }
}
