package dev.cloudops.execution;

import java.net.URI;

/**
 * The link to an execution log that notifications carry: the review portal's log route, which signs a
 * fresh short-lived URL each time it is opened (a presigned URL made now would stop working when the
 * function's temporary credentials do).
 */
@FunctionalInterface
public interface LogLinks {

    URI link(String alertId, String logKey);
}
