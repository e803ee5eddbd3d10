package dev.cloudops.approval.auth;

/** Whether a request may see an alert (or the queue), and if not, the status and reason to answer with. */
public sealed interface Access {

    record Granted(Viewer viewer) implements Access {
    }

    /** 401 for a missing, bad or expired credential; 403 for a valid one that is not enough. */
    record Denied(int status, String reason) implements Access {
    }
}
