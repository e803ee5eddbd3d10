package dev.cloudops.evidence.aws;

import dev.cloudops.evidence.EvidenceStatus;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a failed AWS call means for the evidence (access denied, throttled, not found, or an error) and how
 * it is named in an item; kept apart because the SDK's error codes change independently of any one service.
 */
final class AwsErrors {

    private AwsErrors() {
    }

    static EvidenceStatus statusOf(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = errorCode(e);
            int http = service.statusCode();
            if (code.contains("AccessDenied") || code.equals("UnauthorizedOperation") || http == 403) {
                return EvidenceStatus.ACCESS_DENIED;
            }
            if (code.contains("Throttl") || code.equals("TooManyRequestsException") || code.equals("SlowDown")
                    || code.equals("RequestLimitExceeded") || http == 429) {
                return EvidenceStatus.THROTTLED;
            }
            if (http == 404 || code.startsWith("NoSuch") || code.endsWith("NotFound")
                    || code.endsWith("NotFoundException")) {
                return EvidenceStatus.NOT_FOUND;
            }
        }
        return EvidenceStatus.ERROR;
    }

    static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    /** The message's first line, at most 300 characters. */
    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
