package dev.cloudops.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the published schemas the repository carries in {@code testdata/schemas/} (sources and licences in its README). */
public final class SharedSchemas {

    private SharedSchemas() {
    }

    public static Path file(String name) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("testdata/schemas").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("testdata/schemas/" + name + " not found above "
                + System.getProperty("user.dir") + "; the tests validate against it");
    }
}
