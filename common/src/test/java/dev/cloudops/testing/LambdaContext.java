package dev.cloudops.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** A Lambda context as the runtime passes it to a function, with the remaining time the test says. */
public final class LambdaContext implements Context {

    private final String function;
    private final IntSupplier remainingMillis;

    public LambdaContext(String function, IntSupplier remainingMillis) {
        this.function = function;
        this.remainingMillis = remainingMillis;
    }

    /** A context whose remaining time stays at {@code millis}. */
    public static LambdaContext fixed(String function, int millis) {
        return new LambdaContext(function, () -> millis);
    }

    @Override
    public String getAwsRequestId() {
        return "6bc28136-6b3a-4b5e-9b43-0123456789ab";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function;
    }

    @Override
    public String getLogStreamName() {
        return "2026/11/27/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
        return function;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + function;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
