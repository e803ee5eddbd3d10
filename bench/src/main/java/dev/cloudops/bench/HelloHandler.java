package dev.cloudops.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** The cold-start baseline: the smallest Java Lambda handler there is. */
public final class HelloHandler implements RequestHandler<String, String> {

    @Override
    public String handleRequest(String input, Context context) {
        return "hello " + input;
    }
}
