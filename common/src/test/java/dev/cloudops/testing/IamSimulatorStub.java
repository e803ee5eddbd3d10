package dev.cloudops.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IAM's policy simulator ({@code SimulateCustomPolicy}, {@code SimulatePrincipalPolicy}) as a WireMock server on
 * a free loopback port, speaking IAM's query protocol (a form-encoded POST, {@code Version=2010-05-08}) and
 * answering in IAM's XML, so the SDK's {@code IamClient} can be pointed at it ({@code endpointOverride}). The
 * decisions are {@link IamPolicyFake}'s: moto has no policy simulation, and a test must not need AWS.
 *
 * <p>Read from a request: {@code PolicyInputList.member.N}, {@code ActionNames.member.N},
 * {@code ResourceArns.member.N} (none: {@code *}), {@code ContextEntries.member.N.ContextKeyName},
 * {@code .ContextKeyValues.member.M} and {@code .ContextKeyType} ({@code string}, {@code stringList},
 * {@code boolean}, {@code booleanList}), and for {@code SimulatePrincipalPolicy} {@code PolicySourceArn}, whose
 * policies are registered with {@link #rolePolicies}; its {@code PolicyInputList} is added to them, as IAM
 * does. The policies of one simulation are evaluated together ({@link IamPolicyFake#evaluateTogether}).
 *
 * <p>The answer follows IAM's current API reference: one {@code EvaluationResults} member per action, whose
 * {@code EvalDecision} is the most restrictive over the resources asked about, with {@code EvalResourceName}
 * (when one resource was asked about) and {@code ResourceSpecificResults} (each resource's
 * {@code EvalResourceName} and {@code EvalResourceDecision}). {@code MatchedStatements} and
 * {@code MissingContextValues} are not given. Never truncated.
 *
 * <p>Refused with IAM's error XML ({@code ErrorResponse}/{@code Error}/{@code Type}, {@code Code},
 * {@code Message}, and {@code RequestId}): another IAM action ({@code InvalidAction}, 400), another
 * {@code Version} or a missing required member ({@code ValidationError}, 400), a parameter this stub does not
 * implement ({@code PermissionsBoundaryPolicyInputList}, {@code ResourcePolicy}, {@code CallerArn},
 * {@code MaxItems}, ...) or a policy {@link IamPolicyFake} does not support ({@code InvalidInput}, 400), an
 * unregistered {@code PolicySourceArn} ({@code NoSuchEntity}, 404).
 */
public final class IamSimulatorStub implements AutoCloseable {

    /** The XML namespace of IAM's answers. */
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

    private static final String TRANSFORMER = "iam-simulator";
    private static final Set<String> CONTEXT_TYPES = Set.of("string", "stringList", "boolean", "booleanList");

    private final Map<String, List<String>> rolePolicies = new ConcurrentHashMap<>();
    private final WireMockServer server;

    private IamSimulatorStub() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Simulator()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(TRANSFORMER)));
    }

    /** A running stub; close it when done. */
    public static IamSimulatorStub start() {
        return new IamSimulatorStub();
    }

    /** Where to point {@code IamClient.builder().endpointOverride(...)}. */
    public URI endpoint() {
        return URI.create(server.baseUrl());
    }

    /**
     * The identity policies of {@code roleArn} (inline and attached alike), for {@code SimulatePrincipalPolicy}
     * with that {@code PolicySourceArn}; replaces any registered before.
     */
    public void rolePolicies(String roleArn, List<String> documents) {
        documents.forEach(IamPolicyFake::validate);
        rolePolicies.put(roleArn, List.copyOf(documents));
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Thrown inside the transformer; becomes IAM's error answer. */
    private static final class IamError extends RuntimeException {
        final int status;
        final String code;

        IamError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private final class Simulator implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return TRANSFORMER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String requestId = UUID.randomUUID().toString();
            try {
                if (!serveEvent.getRequest().getMethod().getName().equals("POST")) {
                    throw new IamError(400, "InvalidAction", "IAM's query API takes a form-encoded POST");
                }
                Map<String, String> form = form(serveEvent.getRequest().getBodyAsString());
                return xml(200, simulate(form, requestId), requestId);
            } catch (IamError e) {
                return xml(e.status, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>"
                        + e.code + "</Code><Message>" + escape(e.getMessage()) + "</Message></Error><RequestId>"
                        + requestId + "</RequestId></ErrorResponse>", requestId);
            }
        }
    }

    private String simulate(Map<String, String> form, String requestId) {
        String action = form.getOrDefault("Action", "");
        if (!action.equals("SimulateCustomPolicy") && !action.equals("SimulatePrincipalPolicy")) {
            throw new IamError(400, "InvalidAction", "Could not find operation " + action + " for version "
                    + form.get("Version") + " (this stub answers SimulateCustomPolicy and SimulatePrincipalPolicy)");
        }
        if (!"2010-05-08".equals(form.get("Version"))) {
            throw new IamError(400, "ValidationError", "Version must be 2010-05-08, not " + form.get("Version"));
        }
        boolean principal = action.equals("SimulatePrincipalPolicy");
        for (String name : form.keySet()) {
            String member = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            boolean known = Set.of("Action", "Version", "PolicyInputList", "ActionNames", "ResourceArns",
                    "ContextEntries").contains(member) || (principal && member.equals("PolicySourceArn"));
            if (!known) {
                throw new IamError(400, "InvalidInput", "this stub does not implement " + action + "'s " + member);
            }
        }
        List<String> documents = new ArrayList<>();
        if (principal) {
            String source = form.get("PolicySourceArn");
            if (source == null) {
                throw new IamError(400, "ValidationError", "PolicySourceArn is required");
            }
            List<String> registered = rolePolicies.get(source);
            if (registered == null) {
                throw new IamError(404, "NoSuchEntity", "The entity " + source + " cannot be found.");
            }
            documents.addAll(registered);
        }
        documents.addAll(members(form, "PolicyInputList"));
        if (!principal && documents.isEmpty()) {
            throw new IamError(400, "ValidationError", "PolicyInputList is required");
        }
        List<String> actions = members(form, "ActionNames");
        if (actions.isEmpty()) {
            throw new IamError(400, "ValidationError", "ActionNames is required");
        }
        List<String> resources = members(form, "ResourceArns");
        if (resources.isEmpty()) {
            resources = List.of("*");
        }
        Map<String, List<String>> context = context(form);

        StringBuilder results = new StringBuilder();
        for (String actionName : actions) {
            List<IamPolicyFake.Decision> decisions = new ArrayList<>();
            StringBuilder perResource = new StringBuilder();
            for (String resource : resources) {
                IamPolicyFake.Decision decision;
                try {
                    decision = IamPolicyFake.evaluateTogether(documents, actionName, resource, context);
                } catch (IllegalArgumentException e) {
                    throw new IamError(400, "InvalidInput", e.getMessage());
                }
                decisions.add(decision);
                perResource.append("<member><EvalResourceName>").append(escape(resource))
                        .append("</EvalResourceName><EvalResourceDecision>").append(decision.iamName())
                        .append("</EvalResourceDecision></member>");
            }
            IamPolicyFake.Decision overall = decisions.contains(IamPolicyFake.Decision.EXPLICIT_DENY)
                    ? IamPolicyFake.Decision.EXPLICIT_DENY
                    : decisions.contains(IamPolicyFake.Decision.IMPLICIT_DENY) ? IamPolicyFake.Decision.IMPLICIT_DENY
                    : IamPolicyFake.Decision.ALLOWED;
            results.append("<member><EvalActionName>").append(escape(actionName)).append("</EvalActionName>");
            if (resources.size() == 1) {
                results.append("<EvalResourceName>").append(escape(resources.getFirst())).append("</EvalResourceName>");
            }
            results.append("<EvalDecision>").append(overall.iamName()).append("</EvalDecision>")
                    .append("<ResourceSpecificResults>").append(perResource).append("</ResourceSpecificResults>")
                    .append("</member>");
        }
        return "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>"
                + "<IsTruncated>false</IsTruncated><EvaluationResults>" + results + "</EvaluationResults>"
                + "</" + action + "Result><ResponseMetadata><RequestId>" + requestId + "</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }

    /** The context entries as condition keys and values; the type only decides whether several values may come. */
    private static Map<String, List<String>> context(Map<String, String> form) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        for (int n = 1; form.containsKey("ContextEntries.member." + n + ".ContextKeyName"); n++) {
            String prefix = "ContextEntries.member." + n + ".";
            String name = form.get(prefix + "ContextKeyName");
            String type = form.get(prefix + "ContextKeyType");
            if (type == null || !CONTEXT_TYPES.contains(type)) {
                throw new IamError(400, "InvalidInput", "this stub takes ContextKeyType string, stringList, "
                        + "boolean or booleanList, not " + type + " (key " + name + ")");
            }
            List<String> values = members(form, prefix + "ContextKeyValues");
            if (!type.endsWith("List") && values.size() != 1) {
                throw new IamError(400, "InvalidInput", "context key " + name + " of type " + type
                        + " takes one value, not " + values.size());
            }
            context.put(name, values);
        }
        return context;
    }

    /** {@code NAME.member.1}, {@code NAME.member.2}, ... in order. */
    private static List<String> members(Map<String, String> form, String name) {
        List<String> out = new ArrayList<>();
        for (int n = 1; form.containsKey(name + ".member." + n); n++) {
            out.add(form.get(name + ".member." + n));
        }
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    private static ResponseDefinition xml(int status, String body, String requestId) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "text/xml")
                .withHeader("x-amzn-RequestId", requestId).withBody(body).build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
