package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With Cognito, the review API takes one kind of token: an access token of the review-portal client carrying the
 * scope the routes require. An HTTP API JWT authorizer checks scopes only on routes that list them, and an ID token
 * (which has no scope claim) passes a route without them.
 */
class ReviewSignInTest {

    private static final String SCOPE = "cloudops/review";

    @Test
    void everyJwtRoute_requiresTheReviewScope() {
        Template template = Template.committed();

        List<String> routes = template.idsOfType("AWS::ApiGatewayV2::Route");

        assertThat(routes).isNotEmpty().allSatisfy(id -> {
            JsonNode properties = template.resource(id).path("Properties");
            JsonNode scopes = properties.path("AuthorizationScopes").path("Fn::If");
            assertThat(properties.path("AuthorizationType").path("Fn::If").path(1).asText()).as(id).isEqualTo("JWT");
            assertThat(scopes.path(0).asText()).as("%s scopes' condition", id).isEqualTo("UseCognito");
            assertThat(texts(scopes.path(1))).as("%s scopes", id).containsExactly(SCOPE);
            assertThat(scopes.path(2).path("Ref").asText()).as(id).isEqualTo("AWS::NoValue");
        });
    }

    @Test
    void theRequiredScope_isDefinedByTheResourceServer_andGrantedToThePortalClient() {
        Template template = Template.committed();

        JsonNode server = template.resource("ReviewResourceServer").path("Properties");
        JsonNode client = template.resource("ReviewUserPoolClient").path("Properties");
        List<String> defined = new ArrayList<>();
        server.path("Scopes").forEach(s -> defined.add(server.path("Identifier").asText() + "/" + s.path("ScopeName").asText()));

        assertThat(defined).contains(SCOPE);
        assertThat(texts(client.path("AllowedOAuthScopes"))).contains(SCOPE).doesNotContain("aws.cognito.signin.user.admin");
        assertThat(client.path("AllowedOAuthFlowsUserPoolClient").asBoolean()).isTrue();
        assertThat(texts(client.path("AllowedOAuthFlows"))).containsExactly("code");
        assertThat(template.resource("ReviewUserPoolClient").path("DependsOn").asText()).isEqualTo("ReviewResourceServer");
    }

    @Test
    void theAuthorizer_acceptsTokensOfThePortalClientFromThePool() {
        Template template = Template.committed();

        JsonNode jwt = template.resource("ReviewAuthorizer").path("Properties").path("JwtConfiguration");

        assertThat(jwt.path("Audience").path(0).path("Ref").asText()).isEqualTo("ReviewUserPoolClient");
        assertThat(jwt.path("Audience")).hasSize(1);
        assertThat(jwt.path("Issuer").path("Fn::Sub").asText()).endsWith("/${ReviewUserPool}");
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }
}
