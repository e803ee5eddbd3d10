package dev.cloudops.config;

import dev.cloudops.CloudopsException;
import java.util.List;

/** The configuration is invalid; the message names every problem found, not just the first. */
public final class ConfigException extends CloudopsException {

    private final List<String> problems;

    ConfigException(List<String> problems) {
        super("invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
