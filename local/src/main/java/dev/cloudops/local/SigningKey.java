package dev.cloudops.local;

import dev.cloudops.CloudopsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The local review-link signing key: 32 random bytes made on first start and kept (owner-only) in the data folder. */
final class SigningKey {

    private SigningKey() {
    }

    static byte[] loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("review-signing.key");
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n",
                            StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE_NEW);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system: the folder's own permissions protect it
                    }
                } catch (FileAlreadyExistsException e) {
                    // another process made it first: use theirs
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length < 32) {
                throw new CloudopsException(file + " holds fewer than 32 bytes; delete it to make a new key");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new CloudopsException("the signing key in " + file + " cannot be read or made: " + e.getMessage(), e);
        }
    }
}
