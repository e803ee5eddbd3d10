package dev.cloudops.approval.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudops.approval.http.HttpApiEvents;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.json.EventJson;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.MotoServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens issued by moto's cognito-idp (a user pool with the template's resource server {@code cloudops} and
 * scope {@code review}, groups, a user signed in with AdminInitiateAuth), checked as the HTTP API's JWT
 * authorizer checks them (RS256 signature against the pool's JWKS at {@code /<pool-id>/.well-known/jwks.json},
 * the issuer the template names) and then passed, as the authorizer passes claims, to the {@link Authenticator}.
 * AdminInitiateAuth issues access tokens with the scope {@code aws.cognito.signin.user.admin} only, on moto as
 * on Cognito; the portal's tokens come from the hosted UI's code flow with {@code cloudops/review}, which moto
 * does not serve, so that scope is added to the verified claims for the last check.
 */
@ExtendWith(Emulators.class)
class CognitoTokensMotoIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MotoServer moto;
    private final Authenticator authenticator = new Authenticator(AuthMode.COGNITO, null);
    private String poolId;
    private JsonNode tokens;

    CognitoTokensMotoIT(MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void signIn() {
        poolId = call("CreateUserPool", "{\"PoolName\":\"review-" + UUID.randomUUID() + "\"}")
                .at("/UserPool/Id").asText();
        call("CreateResourceServer", "{\"UserPoolId\":\"" + poolId + "\",\"Identifier\":\"cloudops\",\"Name\":"
                + "\"cloudops\",\"Scopes\":[{\"ScopeName\":\"review\",\"ScopeDescription\":\"review alerts\"}]}");
        String clientId = call("CreateUserPoolClient", "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"portal\","
                + "\"ExplicitAuthFlows\":[\"ALLOW_ADMIN_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"],"
                + "\"AllowedOAuthFlows\":[\"code\"],\"AllowedOAuthScopes\":[\"cloudops/review\",\"openid\"],"
                + "\"AllowedOAuthFlowsUserPoolClient\":true,\"CallbackURLs\":[\"https://review.example.com/\"]}")
                .at("/UserPoolClient/ClientId").asText();
        for (String group : new String[] {"admin", "ops-lead"}) {
            call("CreateGroup", "{\"UserPoolId\":\"" + poolId + "\",\"GroupName\":\"" + group + "\"}");
        }
        call("AdminCreateUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"alice\",\"TemporaryPassword\":"
                + "\"Tmp-pass1!\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"alice@example.com\"}]}");
        call("AdminSetUserPassword", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"alice\",\"Password\":"
                + "\"Perm-pass1!\",\"Permanent\":true}");
        for (String group : new String[] {"admin", "ops-lead"}) {
            call("AdminAddUserToGroup", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"alice\",\"GroupName\":\""
                    + group + "\"}");
        }
        tokens = call("AdminInitiateAuth", "{\"UserPoolId\":\"" + poolId + "\",\"ClientId\":\"" + clientId + "\","
                + "\"AuthFlow\":\"ADMIN_USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"alice\",\"PASSWORD\":"
                + "\"Perm-pass1!\"}}").path("AuthenticationResult");
    }

    @Test
    void theTokens_areSignedByThePoolsJwksKey_andNamedAfterThePoolAsTheTemplatesIssuer() throws Exception {
        for (String token : new String[] {tokens.path("AccessToken").asText(), tokens.path("IdToken").asText()}) {
            String[] parts = token.split("\\.");
            JsonNode header = decode(parts[0]);
            assertThat(header.path("alg").asText()).isEqualTo("RS256");
            PublicKey key = jwksKey(header.path("kid").asText());
            assertThat(verifies(key, parts[0] + "." + parts[1], parts[2])).isTrue();
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(decode(parts[1]).toString()
                    .replace("alice", "mallory").getBytes(StandardCharsets.UTF_8));
            assertThat(verifies(key, parts[0] + "." + tampered, parts[2])).isFalse();
            assertThat(decode(parts[1]).path("iss").asText())
                    .isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/" + poolId);
        }
    }

    @Test
    void anAccessTokenFromAdminInitiateAuth_lacksTheReviewScope_andIsRefused() {
        JsonNode claims = decode(tokens.path("AccessToken").asText().split("\\.")[1]);

        Access access = authenticator.forQueue(asAuthorizerPasses(claims));

        assertThat(claims.path("token_use").asText()).isEqualTo("access");
        assertThat(claims.path("scope").asText()).isEqualTo("aws.cognito.signin.user.admin");
        assertThat(access).isInstanceOfSatisfying(Access.Denied.class, d -> {
            assertThat(d.status()).isEqualTo(401);
            assertThat(d.reason()).contains("not an access token without that scope");
        });
    }

    @Test
    void anIdToken_isRefused() {
        Access access = authenticator.forQueue(asAuthorizerPasses(decode(tokens.path("IdToken").asText()
                .split("\\.")[1])));

        assertThat(access).isInstanceOfSatisfying(Access.Denied.class, d ->
                assertThat(d.reason()).contains("not an ID token"));
    }

    @Test
    void theAccessTokensClaims_withTheReviewScope_signAliceIn_withHerGroups() {
        ObjectNode claims = (ObjectNode) decode(tokens.path("AccessToken").asText().split("\\.")[1]);
        claims.put("scope", "cloudops/review");

        Access access = authenticator.forQueue(asAuthorizerPasses(claims));

        assertThat(access).isInstanceOfSatisfying(Access.Granted.class, g -> {
            var who = g.viewer().signedIn().orElseThrow();
            assertThat(who.name()).isEqualTo("alice");
            assertThat(who.subject()).isEqualTo("sub:" + claims.path("sub").asText());
            assertThat(who.verified()).isTrue();
            assertThat(who.groups()).containsExactlyInAnyOrder("admin", "ops-lead");
        });
    }

    /** The HTTP API 2.0 event the JWT authorizer hands the function, with these claims. */
    private static HttpRequest asAuthorizerPasses(JsonNode claims) {
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("rawPath", "/queue");
        ObjectNode context = event.putObject("requestContext");
        context.putObject("http").put("method", "GET").put("path", "/queue").put("sourceIp", "203.0.113.24")
                .put("userAgent", "Mozilla/5.0");
        context.putObject("authorizer").putObject("jwt").set("claims", claims);
        return new HttpApiEvents(new EventJson()).decode(event.toString().getBytes(StandardCharsets.UTF_8));
    }

    private PublicKey jwksKey(String kid) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                    moto.endpoint().resolve("/" + poolId + "/.well-known/jwks.json")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            for (JsonNode key : JSON.readTree(response.body()).path("keys")) {
                if (key.path("kid").asText().equals(kid)) {
                    assertThat(key.path("kty").asText()).isEqualTo("RSA");
                    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            new BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asText())),
                            new BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asText()))));
                }
            }
            throw new AssertionError("no key " + kid + " in the pool's JWKS: " + response.body());
        }
    }

    private static boolean verifies(PublicKey key, String signed, String signature) throws Exception {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
        return rsa.verify(Base64.getUrlDecoder().decode(signature));
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One cognito-idp call (JSON 1.1) to moto; fails unless it answers 200. */
    private JsonNode call(String operation, String body) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(
                    moto.endpoint() + "/")).header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation)
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/cognito-idp/"
                            + "aws4_request, SignedHeaders=host, Signature=0")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(operation + ": " + response.body()).isEqualTo(200);
            return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(operation + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
