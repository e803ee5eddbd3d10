package dev.cloudops.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * WireMock answering as Route 53 and CloudFront (REST-XML as the services send it, with ETags and their
 * error shapes), STS and IAM's simulation (query protocol), Secrets Manager and a Teams webhook. {@code onChange} runs when a change is accepted, so a
 * test's target can turn healthy the moment the fix lands.
 */
final class AwsStandIn implements AutoCloseable {

    static final String ZONE = "Z0123456789ABCDEFGHIJ";
    static final String DISTRIBUTION = "E2QWRUHAPOMQZL";
    static final String CF = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    static final String R53 = "https://route53.amazonaws.com/doc/2013-04-01/";
    static final String TEAMS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/teams-AbCdEf";
    static final String KEY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/key-AbCdEf";

    final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    AwsStandIn(Runnable onChange) {
        server.start();
        server.addMockServiceRequestListener((request, response) -> {
            boolean change = (RequestMethod.PUT.equals(request.getMethod()) && request.getUrl().endsWith("/config"))
                    || (RequestMethod.POST.equals(request.getMethod()) && request.getUrl().endsWith("/rrset/"));
            if (change && response.getStatus() == 200) {
                onChange.run();
            }
        });
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(TEAMS_ARN)))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"ARN\":\"" + TEAMS_ARN + "\",\"Name\":\"cloudops/teams\",\"SecretString\":\""
                                + server.baseUrl() + "/teams\",\"VersionId\":\"v1\"}")));
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(KEY_ARN)))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"ARN\":\"" + KEY_ARN + "\",\"Name\":\"cloudops/key\",\"SecretString\":"
                                + "\"0123456789abcdef0123456789abcdef0123\",\"VersionId\":\"v1\"}")));
        server.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
        sessions(java.time.Duration.ofMinutes(15));
        sessionSimulation("allowed");
        server.stubFor(get(urlEqualTo("/2013-04-01/change/C2682N5HXP0BZ4")).willReturn(xml(200,
                "<GetChangeResponse xmlns=\"" + R53 + "\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id>"
                        + "<Status>INSYNC</Status><SubmittedAt>2026-11-27T05:20:00.000Z</SubmittedAt></ChangeInfo>"
                        + "</GetChangeResponse>")));
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /**
     * sts:AssumeRole answers a session ({@link #SESSION_KEY}) as STS does, expiring {@code validFor} from now; the
     * requests are kept to be read back with {@link #form}.
     */
    void sessions(java.time.Duration validFor) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .containing("Action=AssumeRole")).willReturn(xml(200,
                "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                        + "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/cloudops-executor/cloudops-x"
                        + "</Arn><AssumedRoleId>AROA3XFRBF23EXAMPLE:cloudops-x</AssumedRoleId></AssumedRoleUser>"
                        + "<Credentials><AccessKeyId>" + SESSION_KEY + "</AccessKeyId><SecretAccessKey>"
                        + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey><SessionToken>FwoGZXIvYXdzEXAMPLE"
                        + "</SessionToken><Expiration>" + java.time.Instant.now().plus(validFor).truncatedTo(
                                java.time.temporal.ChronoUnit.SECONDS) + "</Expiration></Credentials>"
                        + "<PackedPolicySize>12</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>"
                        + "c6104cbe-0000-4000-8000-000000000001</RequestId></ResponseMetadata></AssumeRoleResponse>")));
    }

    /** The access key of the sessions {@link #sessions} issues. */
    static final String SESSION_KEY = "ASIAPLANSESSION00001";

    /** The form-encoded query-protocol requests (STS, IAM) whose {@code Action} is {@code action}, oldest first. */
    List<java.util.Map<String, String>> form(String action) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> RequestMethod.POST.equals(r.getMethod()) && r.getBodyAsString().contains("Action=" + action + "&"))
                .map(r -> {
                    java.util.Map<String, String> fields = new java.util.TreeMap<>();
                    for (String pair : r.getBodyAsString().split("&")) {
                        String[] kv = pair.split("=", 2);
                        fields.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                                kv.length < 2 ? "" : java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
                    }
                    return fields;
                }).toList().reversed();
    }

    /** The access key a request was signed with (SigV4's {@code Credential=KEY/...}). */
    static String signedBy(LoggedRequest request) {
        String authorization = request.getHeader("Authorization");
        int at = authorization == null ? -1 : authorization.indexOf("Credential=");
        return at < 0 ? "" : authorization.substring(at + "Credential=".length(), authorization.indexOf('/', at));
    }

    /** The zone's records as ListResourceRecordSets returns them from the record asked for on. */
    void records(String recordsXml) {
        server.stubFor(get(urlPathEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset")).willReturn(xml(200,
                "<ListResourceRecordSetsResponse xmlns=\"" + R53 + "\"><ResourceRecordSets>" + recordsXml
                        + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems>"
                        + "</ListResourceRecordSetsResponse>")));
    }

    /** Every change batch is accepted (PENDING, then INSYNC on GetChange). */
    void acceptChanges() {
        server.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset/")).willReturn(xml(200,
                "<ChangeResourceRecordSetsResponse xmlns=\"" + R53 + "\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id>"
                        + "<Status>PENDING</Status><SubmittedAt>2026-11-27T05:20:00.000Z</SubmittedAt>"
                        + "<Comment>cloudops</Comment></ChangeInfo></ChangeResourceRecordSetsResponse>")
                .withHeader("x-amzn-RequestId", "b25f48e8-84fd-11e6-80d9-574e0c4664cb")));
    }

    /** Change batches are accepted but never reach INSYNC (GetChange keeps answering PENDING). */
    void changesStayPending() {
        server.stubFor(get(urlEqualTo("/2013-04-01/change/C2682N5HXP0BZ4")).atPriority(1).willReturn(xml(200,
                "<GetChangeResponse xmlns=\"" + R53 + "\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id>"
                        + "<Status>PENDING</Status><SubmittedAt>2026-11-27T05:20:00.000Z</SubmittedAt></ChangeInfo>"
                        + "</GetChangeResponse>")));
    }

    /** The first change batch is throttled (as Route 53 does under load), the next ones accepted. */
    void throttleFirstChange() {
        acceptChanges();
        server.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset/")).atPriority(1)
                .inScenario("throttle").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("throttled").willReturn(xml(400, "<ErrorResponse xmlns=\"" + R53 + "\"><Error>"
                        + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                        + "<RequestId>d3f1e2a4-0000-4000-8000-000000000429</RequestId></ErrorResponse>")));
    }

    /** iam:SimulatePrincipalPolicy (the executor role) answers {@code decision} for every action. */
    void simulation(String decision) {
        simulation("SimulatePrincipalPolicy", decision, "8a1f6e2b-0000-4000-8000-000000000001");
    }

    /** iam:SimulateCustomPolicy (the plan's session policy) answers {@code decision} for every action. */
    void sessionSimulation(String decision) {
        simulation("SimulateCustomPolicy", decision, "8a1f6e2b-0000-4000-8000-000000000002");
    }

    private void simulation(String action, String decision, String requestId) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .containing("Action=" + action)).willReturn(xml(200,
                "<" + action + "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><" + action + "Result>"
                        + "<IsTruncated>false</IsTruncated><EvaluationResults><member>"
                        + "<EvalDecision>" + decision + "</EvalDecision><EvalActionName>cloudfront:UpdateDistribution"
                        + "</EvalActionName><EvalResourceName>arn:aws:cloudfront::123456789012:distribution/"
                        + DISTRIBUTION + "</EvalResourceName><MatchedStatements/><MissingContextValues/></member>"
                        + "</EvaluationResults></" + action + "Result><ResponseMetadata><RequestId>" + requestId
                        + "</RequestId></ResponseMetadata></" + action + "Response>")));
    }

    /** The batch is refused as Route 53 does when a record to delete is not as given. */
    void refuseChanges() {
        server.stubFor(post(urlEqualTo("/2013-04-01/hostedzone/" + ZONE + "/rrset/")).willReturn(xml(400,
                "<ErrorResponse xmlns=\"" + R53 + "\"><Error><Type>Sender</Type><Code>InvalidChangeBatch</Code>"
                        + "<Message>[Tried to delete resource record set [name='shop.example.com.', type='A'] but the "
                        + "values provided do not match the current values]</Message></Error>"
                        + "<RequestId>c1a2b3d4-0000-4000-8000-000000000001</RequestId></ErrorResponse>")));
    }

    /** The distribution as GetDistribution returns it, with its ETag. */
    void distribution(String etag, boolean enabled) {
        server.stubFor(get(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION)).willReturn(xml(200,
                distributionXml(enabled)).withHeader("ETag", etag)));
    }

    /** UpdateDistribution succeeds when If-Match is {@code etag}, and answers PreconditionFailed otherwise. */
    void updatesMatching(String etag, String newEtag) {
        server.stubFor(put(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/config")).atPriority(5)
                .willReturn(xml(412, "<ErrorResponse xmlns=\"" + CF + "\"><Error><Type>Sender</Type>"
                        + "<Code>PreconditionFailed</Code><Message>The request failed because it didn't meet the "
                        + "preconditions in one or more request-header fields.</Message></Error>"
                        + "<RequestId>5b0a7a6c-0000-4000-8000-000000000412</RequestId></ErrorResponse>")));
        server.stubFor(put(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/config")).atPriority(1)
                .withHeader("If-Match", equalTo(etag))
                .willReturn(xml(200, distributionXml(true)).withHeader("ETag", newEtag)
                        .withHeader("x-amz-request-id", "7d5f6c1e-0000-4000-8000-000000000200")));
    }

    void acceptInvalidations() {
        server.stubFor(post(urlEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation")).willReturn(xml(201,
                "<Invalidation xmlns=\"" + CF + "\"><Id>I2J0I21PCUYOIK</Id><Status>InProgress</Status>"
                        + "<CreateTime>2026-11-27T05:20:00.000Z</CreateTime><InvalidationBatch><Paths><Quantity>1"
                        + "</Quantity><Items><Path>/*</Path></Items></Paths><CallerReference>x</CallerReference>"
                        + "</InvalidationBatch></Invalidation>")
                .withHeader("Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + DISTRIBUTION
                        + "/invalidation/I2J0I21PCUYOIK")));
    }

    List<LoggedRequest> requests(RequestMethod method, String urlSuffix) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> method.equals(r.getMethod()) && r.getUrl().endsWith(urlSuffix)).toList().reversed();
    }

    List<LoggedRequest> teams() {
        return requests(RequestMethod.POST, "/teams");
    }

    /** Calls that could change something (rrset changes, config updates, invalidations). */
    List<LoggedRequest> writes() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> (RequestMethod.POST.equals(r.getMethod()) && (r.getUrl().endsWith("/rrset/")
                        || r.getUrl().endsWith("/invalidation"))) || RequestMethod.PUT.equals(r.getMethod())).toList()
                .reversed();
    }

    static String aliasRecord(String name, String target) {
        return "<ResourceRecordSet><Name>" + name + ".</Name><Type>A</Type><AliasTarget><HostedZoneId>Z2FDTNDATAQYW2"
                + "</HostedZoneId><DNSName>" + target + ".</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth>"
                + "</AliasTarget></ResourceRecordSet>";
    }

    private static String distributionXml(boolean enabled) {
        return "<Distribution xmlns=\"" + CF + "\"><Id>" + DISTRIBUTION + "</Id><ARN>arn:aws:cloudfront::123456789012:"
                + "distribution/" + DISTRIBUTION + "</ARN><Status>Deployed</Status><LastModifiedTime>"
                + "2026-11-27T02:10:00.000Z</LastModifiedTime><InProgressInvalidationBatches>0"
                + "</InProgressInvalidationBatches><DomainName>d111111abcdef8.cloudfront.net</DomainName>"
                + "<ActiveTrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedSigners>"
                + "<DistributionConfig><CallerReference>shop-2024</CallerReference><Aliases><Quantity>1</Quantity>"
                + "<Items><CNAME>shop.example.com</CNAME></Items></Aliases><DefaultRootObject>index.html"
                + "</DefaultRootObject><Origins><Quantity>1</Quantity><Items><Origin><Id>shop-origin</Id><DomainName>"
                + "shop-site.s3.eu-west-1.amazonaws.com</DomainName><OriginPath></OriginPath><CustomHeaders>"
                + "<Quantity>0</Quantity></CustomHeaders><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity>"
                + "</S3OriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>shop-origin"
                + "</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy><Compress>true"
                + "</Compress><CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>"
                + "</DefaultCacheBehavior><Comment>shop</Comment><Enabled>" + enabled + "</Enabled><ViewerCertificate>"
                + "<ACMCertificateArn>arn:aws:acm:us-east-1:123456789012:certificate/8f1c2a5e-1b2c-4d3e-9f00-"
                + "123456789abc</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod>"
                + "<MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate><PriceClass>"
                + "PriceClass_100</PriceClass><HttpVersion>http2</HttpVersion></DistributionConfig></Distribution>";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
