package dev.cloudops.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A scripted Bedrock agent runtime: WireMock answering InvokeAgent in the AWS event-stream encoding, and a
 * real SDK client pointed at it. Each round is scripted by what the request carries (the prompt, or the results
 * of one invocation id); the requests received can be read back.
 */
public final class BedrockStandIn implements AutoCloseable {

    public static final String AGENT_ID = "AGENT12345";
    public static final String ALIAS_ID = "ALIAS12345";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final AwsClients clients;
    private final BedrockAgentRuntimeAsyncClient runtime;

    private BedrockStandIn(WireMockServer server) {
        this.server = server;
        this.clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.empty(),
                Map.of("BEDROCK_AGENT_RUNTIME", URI.create(server.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        this.runtime = clients.bedrockAgentRuntime();
    }

    /** Starts WireMock on a free loopback port. */
    public static BedrockStandIn start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return new BedrockStandIn(server);
    }

    public WireMockServer server() {
        return server;
    }

    /** An InvokeAgent client for the stand-in (region us-east-1, dummy credentials); closed with it. */
    public BedrockAgentRuntimeAsyncClient runtime() {
        return runtime;
    }

    /** The InvokeAgent path of a session of {@link #AGENT_ID} / {@link #ALIAS_ID}. */
    public static String path(String sessionId) {
        return "/agents/" + AGENT_ID + "/agentAliases/" + ALIAS_ID + "/sessions/" + sessionId + "/text";
    }

    /** Answers the request that opens the session (the one carrying the prompt) with these events. */
    public void onPrompt(String sessionId, byte[]... events) {
        server.stubFor(post(urlEqualTo(path(sessionId))).withRequestBody(matchingJsonPath("$.inputText"))
                .willReturn(stream(sessionId, events)));
    }

    /** Answers the request that returns the results of {@code invocationId} with these events. */
    public void onResults(String sessionId, String invocationId, byte[]... events) {
        server.stubFor(post(urlEqualTo(path(sessionId)))
                .withRequestBody(matchingJsonPath("$.sessionState.invocationId", equalTo(invocationId)))
                .willReturn(stream(sessionId, events)));
    }

    /** The bodies of the InvokeAgent requests received on any session. */
    public List<JsonNode> requests() {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest r : server.findAll(postRequestedFor(urlMatching("/agents/.*")))) {
            try {
                bodies.add(JSON.readTree(r.getBodyAsString()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bodies;
    }

    /** The prompt the session was opened with. */
    public String prompt() {
        return requests().stream().filter(b -> b.hasNonNull("inputText")).map(b -> b.get("inputText").asText())
                .findFirst().orElseThrow(() -> new AssertionError("no request carried a prompt"));
    }

    /** The function results sent back for {@code invocationId}, as the text bodies in their order. */
    public List<String> resultsFor(String invocationId) {
        for (JsonNode body : requests()) {
            JsonNode state = body.path("sessionState");
            if (invocationId.equals(state.path("invocationId").asText())) {
                List<String> texts = new ArrayList<>();
                state.path("returnControlInvocationResults").forEach(r ->
                        texts.add(r.path("functionResult").path("responseBody").path("TEXT").path("body").asText()));
                return texts;
            }
        }
        throw new AssertionError("no results were sent for " + invocationId);
    }

    /** A 200 answer whose body is these events. */
    public static ResponseDefinitionBuilder stream(String sessionId, byte[]... events) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : events) {
            body.writeBytes(e);
        }
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withHeader("x-amzn-bedrock-agent-content-type", "application/json")
                .withHeader("x-amz-bedrock-agent-session-id", sessionId)
                .withBody(body.toByteArray());
    }

    /** A chunk of the agent's answer text. */
    public static byte[] chunk(String text) {
        ObjectNode payload = JSON.createObjectNode()
                .put("bytes", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        return event("chunk", payload.toString());
    }

    /** The agent returning control to have one function run, with string parameters in this order. */
    public static byte[] returnControl(String invocationId, String actionGroup, String function,
            Map<String, String> parameters) {
        ObjectNode payload = JSON.createObjectNode().put("invocationId", invocationId);
        ObjectNode call = payload.putArray("invocationInputs").addObject().putObject("functionInvocationInput")
                .put("actionGroup", actionGroup)
                .put("actionInvocationType", "RESULT")
                .put("function", function);
        ArrayNode list = call.putArray("parameters");
        parameters.forEach((name, value) -> list.addObject().put("name", name).put("type", "string").put("value", value));
        return event("returnControl", payload.toString());
    }

    /** A trace event reporting the token usage of one model invocation. */
    public static byte[] trace(int input, int output) {
        return event("trace", "{\"agentAliasId\":\"" + ALIAS_ID + "\",\"agentId\":\"" + AGENT_ID + "\","
                + "\"agentVersion\":\"1\",\"sessionId\":\"session\",\"trace\":{\"orchestrationTrace\":{"
                + "\"modelInvocationOutput\":{\"traceId\":\"t-1\",\"metadata\":{\"usage\":{\"inputTokens\":" + input
                + ",\"outputTokens\":" + output + "}}}}}}");
    }

    /** One event-stream frame. */
    public static byte[] event(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        ByteBuffer frame = new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        runtime.close();
        clients.close();
        server.stop();
    }
}
