package dev.cloudops.monitor;

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

    @AfterAll
    static void stopAccount() {
        site.close();
        dns.close();
        otherServices.stop();
    }
}
