package dev.cloudops.probe;

import dev.cloudops.alert.IssueType;

/** What a probe found: one failure class, or HEALTHY. */
public enum Classification {
    DNS_FAILURE(IssueType.DNS_FAILURE),
    TCP_FAILURE(IssueType.TCP_FAILURE),
    TLS_ERROR(IssueType.TLS_ERROR),
    CERT_EXPIRING(IssueType.CERT_EXPIRING),
    CERT_EXPIRED(IssueType.CERT_EXPIRED),
    HTTP_ERROR(IssueType.HTTP_ERROR),
    TIMEOUT(IssueType.TIMEOUT),
    PERFORMANCE(IssueType.PERFORMANCE),
    CONTENT_MISMATCH(IssueType.CONTENT_MISMATCH),
    HEALTHY(null);

    private final IssueType issueType;

    Classification(IssueType issueType) {
        this.issueType = issueType;
    }

    public boolean healthy() {
        return this == HEALTHY;
    }

    /** The alert issue type of a failure; throws for HEALTHY, which raises no alert. */
    public IssueType issueType() {
        if (issueType == null) {
            throw new IllegalStateException("a healthy result has no issue type");
        }
        return issueType;
    }
}
