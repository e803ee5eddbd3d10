package dev.cloudops.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cloudops.alert.IssueType;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.local.sqlite.SqliteDatabase;
import dev.cloudops.local.sqlite.SqliteRunbookStore;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.runbook.RunbookTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The demo account through the real SDK clients: each answer parses, and what it does not hold is an AWS error; and
 * when the demo lets its problem recur.
 */
class DemoCloudIT {

    @TempDir
    static Path dir;

    private static DemoSite site;
    private DemoCloud cloud;
    private AwsClients clients;

    @BeforeAll
    static void startSite() {
        site = DemoSite.start(dir);
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    @BeforeEach
    void start() {
        site.expire();
        cloud = DemoCloud.start(site, Clock.systemUTC());
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(cloud.endpoint())), DemoCloud.CREDENTIALS);
    }

    @AfterEach
    void stop() {
        clients.close();
        cloud.close();
    }

    @Test
    void route53_findsTheZoneByName_andListsItsRecordsPageByPage_inRoute53Order() {
        upsert("www." + DemoCloud.ZONE_NAME, "CNAME", DemoSite.SHOP_HOST);

        var zones = clients.route53().listHostedZonesByName(b -> b.dnsName(DemoCloud.ZONE_NAME).maxItems("100"));
        var before = clients.route53().listHostedZonesByName(b -> b.dnsName("shop." + DemoCloud.ZONE_NAME));
        ListResourceRecordSetsResponse first = clients.route53().listResourceRecordSets(b -> b
                .hostedZoneId(DemoCloud.ZONE_ID).startRecordName(DemoCloud.ZONE_NAME).maxItems("1"));
        ListResourceRecordSetsResponse second = clients.route53().listResourceRecordSets(b -> b
                .hostedZoneId(DemoCloud.ZONE_ID).startRecordName(first.nextRecordName())
                .startRecordType(first.nextRecordType()).maxItems("1"));

        assertThat(zones.hostedZones()).singleElement().satisfies(z -> {
            assertThat(z.id()).isEqualTo("/hostedzone/" + DemoCloud.ZONE_ID);
            assertThat(z.name()).isEqualTo(DemoCloud.ZONE_NAME + ".");
            assertThat(z.config().privateZone()).isFalse();
        });
        assertThat(before.hostedZones()).as("the zone sorts before its own subdomain").isEmpty();
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.resourceRecordSets()).extracting(ResourceRecordSet::name)
                .containsExactly(DemoSite.SHOP_HOST + ".");
        assertThat(second.isTruncated()).isFalse();
        assertThat(second.resourceRecordSets()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("www." + DemoCloud.ZONE_NAME + ".");
            assertThat(r.ttl()).isEqualTo(300L);
            assertThat(r.resourceRecords().getFirst().value()).isEqualTo(DemoSite.SHOP_HOST);
        });
    }

    @Test
    void aChangeBatch_isAllOrNothing_andRefusesACreateOfAnExistingRecordOrADeleteThatDoesNotMatch() {
        List<DemoCloud.RecordSet> before = cloud.records();

        AwsServiceException create = catchThrowableOfType(AwsServiceException.class, () -> change(
                change(ChangeAction.UPSERT, "www." + DemoCloud.ZONE_NAME, "A", "127.0.0.2"),
                change(ChangeAction.CREATE, DemoSite.SHOP_HOST, "A", "127.0.0.1")));
        AwsServiceException delete = catchThrowableOfType(AwsServiceException.class, () -> change(
                change(ChangeAction.DELETE, DemoSite.SHOP_HOST, "A", "127.0.0.9")));

        assertThat(create.awsErrorDetails().errorCode()).isEqualTo("InvalidChangeBatch");
        assertThat(create.getMessage()).contains("already exists");
        assertThat(delete.awsErrorDetails().errorCode()).isEqualTo("InvalidChangeBatch");
        assertThat(cloud.records()).isEqualTo(before);
        assertThat(cloud.changes()).isEmpty();
    }

    @Test
    void restoringTheValidationRecord_renewsTheCertificate_andRecurringDeletesItAgain() {
        CertificateDetail pending = describe();

        String changeId = upsert(DemoCloud.VALIDATION_NAME, "CNAME", DemoCloud.VALIDATION_VALUE + ".");
        CertificateDetail renewed = describe();
        var change = clients.route53().getChange(b -> b.id(changeId));
        cloud.recur();
        CertificateDetail again = describe();

        assertThat(pending.statusAsString()).isEqualTo("ISSUED");
        assertThat(pending.renewalSummary().renewalStatusAsString()).isEqualTo("PENDING_VALIDATION");
        assertThat(pending.domainValidationOptions()).singleElement().satisfies(v -> {
            assertThat(v.validationStatusAsString()).isEqualTo("PENDING_VALIDATION");
            assertThat(v.resourceRecord().name()).isEqualTo(DemoCloud.VALIDATION_NAME + ".");
            assertThat(v.resourceRecord().value()).isEqualTo(DemoCloud.VALIDATION_VALUE + ".");
        });
        assertThat(pending.notAfter()).isBetween(Instant.now().plus(Duration.ofDays(2)),
                Instant.now().plus(Duration.ofDays(3)));
        assertThat(change.changeInfo().status()).isEqualTo(ChangeStatus.INSYNC);
        assertThat(renewed.renewalSummary().renewalStatusAsString()).isEqualTo("SUCCESS");
        assertThat(renewed.domainValidationOptions().getFirst().validationStatusAsString()).isEqualTo("SUCCESS");
        assertThat(renewed.notAfter()).isAfter(Instant.now().plus(Duration.ofDays(360)));
        assertThat(again.renewalSummary().renewalStatusAsString()).isEqualTo("PENDING_VALIDATION");
        assertThat(again.notAfter()).isEqualTo(pending.notAfter());
        assertThat(cloud.records()).extracting(DemoCloud.RecordSet::name).containsExactly(DemoSite.SHOP_HOST + ".");
        assertThat(clients.acmForCloudFront().listCertificatesPaginator(b -> b.maxItems(100)).certificateSummaryList()
                .stream().toList()).singleElement().satisfies(c -> assertThat(c.certificateArn())
                .isEqualTo(DemoCloud.CERTIFICATE_ARN));
        List<Event> events = clients.cloudTrailForGlobalServices().lookupEvents(b -> b.lookupAttributes(a -> a
                .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(DemoCloud.ZONE_ID))
                .startTime(Instant.now().minus(Duration.ofDays(1))).endTime(Instant.now().plusSeconds(5))).events();
        assertThat(events).extracting(Event::username).containsExactly(DemoCloud.SOMEONE, "cloudops-local",
                DemoCloud.SOMEONE);
        assertThat(events).allSatisfy(e -> assertThat(e.readOnly()).isEqualTo("false"));
    }

    @Test
    void whatTheAccountDoesNotHold_isAnAwsErrorTheReadersRecord() {
        AwsServiceException certificate = catchThrowableOfType(AwsServiceException.class, () -> clients
                .acmForCloudFront().describeCertificate(b -> b.certificateArn(DemoCloud.CERTIFICATE_ARN + "0")));
        AwsServiceException zone = catchThrowableOfType(AwsServiceException.class, () -> clients.route53()
                .listResourceRecordSets(b -> b.hostedZoneId("Z0OTHER")));
        AwsServiceException distribution = catchThrowableOfType(AwsServiceException.class, () -> clients
                .cloudFront().getDistribution(b -> b.id("E0DEMO")));
        AwsServiceException bucket = catchThrowableOfType(AwsServiceException.class, () -> clients.s3()
                .getBucketPolicyStatus(b -> b.bucket("shop-site")));
        var distributions = clients.cloudFront().listDistributions(b -> b.maxItems("100")).distributionList();

        assertThat(certificate.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
        assertThat(zone.awsErrorDetails().errorCode()).isEqualTo("NoSuchHostedZone");
        assertThat(zone.statusCode()).isEqualTo(404);
        assertThat(distribution.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
        assertThat(bucket.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
        assertThat(distributions.quantity()).isZero();
    }

    @Test
    void theRecurrence_waitsForAVerifiedFixAndAnActiveRunbook_andHappensOnce() {
        SqliteRunbookStore runbooks = new SqliteRunbookStore(SqliteDatabase.open(dir.resolve("data")));
        Instant now = Instant.now();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoRecurrence recurrence = new DemoRecurrence(cloud, runbooks, Duration.ofSeconds(20),
                Clock.fixed(now.plusSeconds(30), ZoneOffset.UTC), new PrintStream(console, true, StandardCharsets.UTF_8));
        RunbookTemplate template = new RunbookTemplate(IssueType.CERT_EXPIRING, "{\"summary\":\"{{p1}}\"}",
                List.of(new RunbookTemplate.Parameter("p1", new RunbookTemplate.Source("acm:DescribeCertificate", 0,
                        "/data/arn"), false)), List.of());

        boolean beforeTheFix = recurrence.check();
        upsert(DemoCloud.VALIDATION_NAME, "CNAME", DemoCloud.VALIDATION_VALUE + ".");
        Runbook candidate = runbooks.learned(Runbook.candidate(template, "01JTEACHER", now), now);
        boolean withACandidateOnly = recurrence.check();
        runbooks.replace(candidate.promoted("Pat Doe", now)).orElseThrow();
        boolean tooSoon = new DemoRecurrence(cloud, runbooks, Duration.ofSeconds(20), Clock.fixed(now,
                ZoneOffset.UTC), new PrintStream(console, true, StandardCharsets.UTF_8)).check();
        boolean recurred = recurrence.check();
        boolean again = recurrence.check();

        assertThat(beforeTheFix).isFalse();
        assertThat(withACandidateOnly).isFalse();
        assertThat(tooSoon).isFalse();
        assertThat(recurred).isTrue();
        assertThat(again).isFalse();
        assertThat(cloud.renewed()).isFalse();
        assertThat(site.expiresAt()).isBefore(now.plus(Duration.ofDays(3)));
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("[demo] A year later: " + DemoCloud.SOMEONE
                + " deleted the validation record", "Runbook " + candidate.id() + " is active (promoted by Pat Doe)");
    }

    private CertificateDetail describe() {
        return clients.acmForCloudFront().describeCertificate(b -> b.certificateArn(DemoCloud.CERTIFICATE_ARN))
                .certificate();
    }

    private String upsert(String name, String type, String value) {
        return change(change(ChangeAction.UPSERT, name, type, value));
    }

    private String change(software.amazon.awssdk.services.route53.model.Change... changes) {
        return clients.route53().changeResourceRecordSets(b -> b.hostedZoneId(DemoCloud.ZONE_ID)
                .changeBatch(c -> c.comment("test").changes(changes))).changeInfo().id();
    }

    private static software.amazon.awssdk.services.route53.model.Change change(ChangeAction action, String name,
            String type, String value) {
        return software.amazon.awssdk.services.route53.model.Change.builder().action(action)
                .resourceRecordSet(r -> r.name(name).type(RRType.fromValue(type)).ttl(300L)
                        .resourceRecords(v -> v.value(value))).build();
    }
}
