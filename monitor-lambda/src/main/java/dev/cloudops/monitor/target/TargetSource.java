package dev.cloudops.monitor.target;

/** Where the target document comes from: inline configuration, an S3 object or an SSM parameter. */
public interface TargetSource {

    /** The document's current text; read on every run so edits apply without a deploy. */
    String read();

    /** Where the document is, for messages ("S3 object s3://b/k"). */
    String describe();

    /** A document given inline in the configuration. */
    static TargetSource inline(String text) {
        return new TargetSource() {
            @Override
            public String read() {
                return text;
            }

            @Override
            public String describe() {
                return "the TARGETS variable";
            }
        };
    }
}
