package dev.cloudops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The event files of the functions' handler tests, as the benchmarks that invoke the shipped jars send them. */
final class EventFiles {

    private EventFiles() {
    }

    /** {@code <module>/src/test/resources/events/<name>} with its {@code ${NAME}} placeholders replaced verbatim. */
    static byte[] read(Path root, String module, String name, Map<String, String> vars) {
        try {
            String text = Files.readString(root.resolve(module).resolve("src/test/resources/events").resolve(name));
            for (var v : vars.entrySet()) {
                text = text.replace("${" + v.getKey() + "}", v.getValue());
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
