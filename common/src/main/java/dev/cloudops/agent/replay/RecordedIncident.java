package dev.cloudops.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudops.agent.Incident;
import dev.cloudops.evidence.EvidencePack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One recorded incident, a directory of:
 * <ul>
 * <li>{@code incident.json}: the alert's facts as the analysis is given them ({@link IncidentJson});</li>
 * <li>{@code evidence.json}: the evidence pack exactly as the pipeline stores it under {@code evidence/};</li>
 * <li>{@code model-answer.md} (optional): the Bedrock agent's answer as stored under {@code analyses/};</li>
 * <li>{@code expected.json}: what the analysis came to when the incident was recorded ({@link ReplayRecord}).</li>
 * </ul>
 * {@code expected} is null until recorded.
 */
public record RecordedIncident(Path dir, Incident incident, EvidencePack evidence, String modelAnswer,
        ReplayRecord expected) {

    public static final String INCIDENT = "incident.json";
    public static final String EVIDENCE = "evidence.json";
    public static final String MODEL_ANSWER = "model-answer.md";
    public static final String EXPECTED = "expected.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedIncident {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** The incident's name: its directory's. */
    public String name() {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    /** True when {@code dir} holds a recorded incident (its {@code incident.json}). */
    public static boolean isIncident(Path dir) {
        return Files.isRegularFile(dir.resolve(INCIDENT));
    }

    /**
     * The incidents {@code path} names: itself when it is one, else the incident directories under it (at any
     * depth), sorted by path. Throws when it is neither.
     */
    public static List<Path> find(Path path) {
        if (!Files.isDirectory(path)) {
            throw new ReplayInputException(path, Files.exists(path) ? "not a directory" : "no such directory");
        }
        if (isIncident(path)) {
            return List.of(path);
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path)) {
            walk.filter(Files::isDirectory).filter(RecordedIncident::isIncident).sorted().forEach(found::add);
        } catch (IOException e) {
            throw new ReplayInputException(path, "cannot be listed: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new ReplayInputException(path, "holds no recorded incident (no " + INCIDENT + " in it or below it)");
        }
        return found;
    }

    /** Reads the incident in {@code dir}; {@code expected.json} may be absent, the other required files not. */
    public static RecordedIncident read(Path dir) {
        Incident incident = parse(dir.resolve(INCIDENT), IncidentJson::fromJson);
        EvidencePack evidence = parse(dir.resolve(EVIDENCE), EvidencePack::fromJson);
        Path answerFile = dir.resolve(MODEL_ANSWER);
        String answer = Files.exists(answerFile) ? new String(bytes(answerFile), StandardCharsets.UTF_8) : null;
        Path expectedFile = dir.resolve(EXPECTED);
        ReplayRecord expected = Files.exists(expectedFile) ? parse(expectedFile, ReplayRecord::fromJson) : null;
        return new RecordedIncident(dir, incident, evidence, answer, expected);
    }

    /** Writes {@code incident.json}, {@code evidence.json} and, when there is one, {@code model-answer.md}. */
    public void writeInputs() {
        write(dir.resolve(INCIDENT), pretty(IncidentJson.toJson(incident)));
        write(dir.resolve(EVIDENCE), evidence.toJsonBytes());
        if (modelAnswer != null) {
            write(dir.resolve(MODEL_ANSWER), modelAnswer.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Writes {@code expected.json}, replacing any. */
    public static void writeExpected(Path dir, ReplayRecord record) {
        write(dir.resolve(EXPECTED), pretty(record.toJson()));
    }

    private interface Reader<T> {
        T read(JsonNode node);
    }

    private static <T> T parse(Path file, Reader<T> reader) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes(file));
        } catch (IOException e) {
            throw new ReplayInputException(file, "not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        try {
            return reader.read(node);
        } catch (IllegalArgumentException e) {
            throw new ReplayInputException(file, e.getMessage(), e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ReplayInputException(file, "missing", e);
        } catch (IOException e) {
            throw new ReplayInputException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] pretty(JsonNode node) {
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new ReplayInputException(file, "cannot be written: " + e.getMessage(), e);
        }
    }
}
