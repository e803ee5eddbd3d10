package dev.cloudops.artifact;

/** The kinds of object the pipeline keeps, each with its key prefix, file type and {@code phase} metadata. */
public enum ArtifactKind {
    ANALYSIS("analyses", ".md", "text/markdown; charset=utf-8", "analysis"),
    EVIDENCE("evidence", ".json", "application/json", "evidence"),
    EXECUTION_LOG("executions", ".md", "text/markdown; charset=utf-8", "execution"),
    /** The record of an alert the executor closed, kept with its execution logs (the only prefix it writes). */
    ARCHIVE("executions/archive", ".json", "application/json", "archive");

    private final String prefix;
    private final String extension;
    private final String contentType;
    private final String phase;

    ArtifactKind(String prefix, String extension, String contentType, String phase) {
        this.prefix = prefix;
        this.extension = extension;
        this.contentType = contentType;
        this.phase = phase;
    }

    public String prefix() {
        return prefix;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    public String phase() {
        return phase;
    }
}
