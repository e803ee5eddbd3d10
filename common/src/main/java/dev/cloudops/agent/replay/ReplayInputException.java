package dev.cloudops.agent.replay;

import java.nio.file.Path;

/** A recorded incident that cannot be replayed: the file at fault and what is wrong with it. */
public final class ReplayInputException extends RuntimeException {

    private final transient Path file;

    public ReplayInputException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ReplayInputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
