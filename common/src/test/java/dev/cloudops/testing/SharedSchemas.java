package dev.cloudops.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the published schemas in {@code shared/schemas/} beside the checkout (see its README). */
public final class SharedSchemas {

    private SharedSchemas() {
    }

    public static Path file(String name) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/schemas").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/schemas/" + name + " not found beside the checkout of "
                + System.getProperty("user.dir") + "; the tests validate against it");
    }
}
