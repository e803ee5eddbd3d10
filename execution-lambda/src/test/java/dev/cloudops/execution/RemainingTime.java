package dev.cloudops.execution;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.function.IntSupplier;

/** Lambda's context as far as the execution reads it: the invocation's remaining time, as the test says. */
final class RemainingTime implements Context {

    private final IntSupplier millis;

    RemainingTime(IntSupplier millis) {
        this.millis = millis;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return millis.getAsInt();
    }

    @Override
    public String getAwsRequestId() {
        return "3e1a9c52-0000-4000-8000-000000000001";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/cloudops-execution";
    }

    @Override
    public String getLogStreamName() {
        return "2026/12/04/[$LATEST]0000";
    }

    @Override
    public String getFunctionName() {
        return "cloudops-execution";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:cloudops-execution";
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
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
