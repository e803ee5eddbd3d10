package dev.cloudops.testing;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The main class of a child JVM that runs a shipped function jar as Lambda's Java runtime would: it
 * constructs the handler named on the command line with its no-arg constructor, then invokes
 * {@code handleRequest(InputStream, OutputStream, Context)} once per line read from standard input. Uses
 * only the JDK: the Lambda interfaces come from the jar under test, reached by reflection as the runtime
 * reaches them. Started by {@link ShippedFunction}, which copies this class next to the jar.
 *
 * <p>Protocol, one line each way, on the process's original standard output (the function's own output is
 * moved to standard error): {@code READY <construct-ms>} or {@code FAILED <base64 stack trace>} once, then
 * for each {@code INVOKE <base64 event>} line an {@code OK <invoke-ms> <base64 output>} or
 * {@code ERROR <invoke-ms> <base64 stack trace>} line; {@code RESTORE} runs the SnapStart hooks
 * ({@link #restore}) and answers {@code RESTORED <ms>} or {@code ERROR}; {@code QUIT} or the end of input
 * ends the process.
 */
public final class HandlerDriver {

    private static final int REMAINING_MILLIS = 60_000;

    private HandlerDriver() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        Object handler;
        Method handleRequest;
        Object context;
        long constructStart = System.nanoTime();
        try {
            Class<?> type = Class.forName(args[0]);
            handler = type.getDeclaredConstructor().newInstance();
            Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
            handleRequest = type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
            context = context(contextType, args[0]);
        } catch (Throwable e) {
            protocol.println("FAILED " + encode(trace(e)));
            protocol.flush();
            System.exit(1);
            return;
        }
        protocol.println("READY " + millisSince(constructStart));
        protocol.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("QUIT"); ) {
            if (line.equals("RESTORE")) {
                restore(protocol);
                continue;
            }
            byte[] event = Base64.getDecoder().decode(line.substring("INVOKE ".length()));
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            long start = System.nanoTime();
            try {
                handleRequest.invoke(handler, new ByteArrayInputStream(event), output, context);
                protocol.println("OK " + millisSince(start) + " " + Base64.getEncoder().encodeToString(output.toByteArray()));
            } catch (InvocationTargetException e) {
                protocol.println("ERROR " + millisSince(start) + " " + encode(trace(e.getCause())));
            }
            protocol.flush();
        }
        System.exit(0);
    }

    /**
     * Runs the handler's SnapStart hooks as Lambda does around a snapshot (every beforeCheckpoint, then
     * every afterRestore), through the CRaC stand-in named by {@code -Dorg.crac.Core.Compat} (its
     * {@code Core.checkpointRestore()}); the JVM goes on as a restored one would, with what the hooks left.
     */
    private static void restore(PrintStream protocol) {
        String compat = System.getProperty("org.crac.Core.Compat");
        long start = System.nanoTime();
        try {
            if (compat == null) {
                throw new IllegalStateException("no CRaC stand-in: start the JVM with -Dorg.crac.Core.Compat=<package>");
            }
            Class.forName(compat + ".Core").getMethod("checkpointRestore").invoke(null);
            protocol.println("RESTORED " + millisSince(start));
        } catch (Throwable e) {
            protocol.println("ERROR " + millisSince(start) + " " + encode(trace(
                    e instanceof InvocationTargetException t ? t.getCause() : e)));
        }
        protocol.flush();
    }

    /** A Context as the runtime passes it: fixed names, a minute left, a logger writing to standard error. */
    private static Object context(Class<?> contextType, String handler) throws ClassNotFoundException {
        Class<?> loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger");
        Object logger = Proxy.newProxyInstance(loggerType.getClassLoader(), new Class<?>[] {loggerType},
                (proxy, method, args) -> {
                    if (method.getName().equals("log") && args != null && args.length >= 1) {
                        Object message = args[0];
                        System.err.println(message instanceof byte[] bytes
                                ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(message));
                    }
                    return null;
                });
        String function = "cloudops-" + handler.substring(handler.lastIndexOf('.') + 1).toLowerCase();
        return Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] {contextType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> "6bc28136-6b3a-4b5e-9b43-0123456789ab";
                    case "getLogGroupName" -> "/aws/lambda/" + function;
                    case "getLogStreamName" -> "2026/11/27/[$LATEST]0123456789abcdef";
                    case "getFunctionName" -> function;
                    case "getFunctionVersion" -> "$LATEST";
                    case "getInvokedFunctionArn" -> "arn:aws:lambda:eu-west-1:123456789012:function:" + function;
                    case "getRemainingTimeInMillis" -> REMAINING_MILLIS;
                    case "getMemoryLimitInMB" -> 1024;
                    case "getLogger" -> logger;
                    case "toString" -> "Context(" + function + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
