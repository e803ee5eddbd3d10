package dev.cloudops.monitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.cloudops.probe.FakeDnsServer;
import dev.cloudops.probe.TestSite;
import dev.cloudops.testing.Dynalite;
import dev.cloudops.testing.Emulators;
import dev.cloudops.testing.S3Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a monitor handler test runs against, started once per test class: DynamoDB and S3 emulators,
 * one WireMock server for every other AWS service (with no stubs, Route 53, CloudFront, ACM and
 * CloudTrail know nothing of the site: every read answers 404), a loopback web site and a DNS responder.
 */
@ExtendWith(Emulators.class)
abstract class LoopbackAccount {

    static Dynalite dynalite;
    static S3Emulator s3;
    static WireMockServer otherServices;
    static TestSite site;
    static FakeDnsServer dns;

    @BeforeAll
    static void startAccount(Dynalite dynamoDb, S3Emulator objects) {
        dynalite = dynamoDb;
        s3 = objects;
        otherServices = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        otherServices.start();
        site = TestSite.http();
        dns = new FakeDnsServer();
    }

    /**
     * Secrets Manager holding a Teams webhook (posting to this account's {@code /teams}, which accepts) under
     * {@code teamsArn}, and the review-link signing key under {@code keyArn}.
     */
    static void teamsAndSigningKey(String teamsArn, String keyArn) {
        otherServices.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(teamsArn)))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"ARN\":\"" + teamsArn + "\",\"Name\":\"cloudops/teams\",\"SecretString\":\""
                                + otherServices.baseUrl() + "/teams\",\"VersionId\":\"v1\"}")));
        otherServices.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(keyArn)))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"ARN\":\"" + keyArn + "\",\"Name\":\"cloudops/review-key\",\"SecretString\":"
                                + "\"0123456789abcdef0123456789abcdef0123\",\"VersionId\":\"v1\"}")));
        otherServices.stubFor(post(urlEqualTo("/teams")).willReturn(aResponse().withStatus(202)));
    }

    @AfterAll
    static void stopAccount() {
        site.close();
        dns.close();
        otherServices.stop();
    }
}
