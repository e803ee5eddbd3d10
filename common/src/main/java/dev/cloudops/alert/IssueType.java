package dev.cloudops.alert;

/** The failing layer a probe found, in the order the layers are probed. */
public enum IssueType {
    DNS_FAILURE,
    TCP_FAILURE,
    TLS_ERROR,
    CERT_EXPIRING,
    CERT_EXPIRED,
    HTTP_ERROR,
    TIMEOUT,
    PERFORMANCE,
    CONTENT_MISMATCH
}
