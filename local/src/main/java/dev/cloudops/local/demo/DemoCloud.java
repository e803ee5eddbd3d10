package dev.cloudops.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cloudops.CloudopsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The demo's AWS account, for the demo only: an HTTP server on a free loopback port that answers, in the services'
 * real wire formats, exactly the calls the local pipeline makes about the demo shop, so the real SDK clients, the
 * real evidence collector, the real step executors and the real verification run without an AWS account. It holds
 * one public hosted zone ({@value #ZONE_NAME}, Route 53, REST-XML) with the shop's record, one ACM certificate of
 * the shop (JSON 1.1) whose DNS validation record someone deleted, so ACM cannot renew it, the CloudTrail write
 * events on the zone (JSON 1.1), and no CloudFront distribution (REST-XML). Any other call gets a proper AWS error,
 * which the readers record as an item they could not read.
 *
 * <p>When a change batch puts the validation record back with the value ACM asked for, ACM "validates" at once: the
 * certificate shows a successful renewal with a new expiry, and the {@link DemoSite} starts serving the renewed
 * certificate. {@link #recur()} lets the problem happen again, as a year later: the record is deleted once more and
 * the shop serves a certificate expiring in 2 days. Nothing here checks signatures; it is not an emulator of AWS.
 */
public final class DemoCloud implements AutoCloseable {

    /** The demo shop's public hosted zone. */
    public static final String ZONE_NAME = "demo.localhost";
    public static final String ZONE_ID = "Z0DEMO0CLOUDOPS0000001";
    public static final String CERTIFICATE_ARN =
            "arn:aws:acm:us-east-1:123456789012:certificate/2b7e1d4c-5a6f-4e3b-9c8d-0f1e2d3c4b5a";
    /** The CNAME ACM validates the shop's certificate with (the name, then the value it must have). */
    public static final String VALIDATION_NAME = "_5d7c0e1f2a3b4c5d6e7f8a9b0c1d2e3f." + DemoSite.SHOP_HOST;
    public static final String VALIDATION_VALUE = "_8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b.xlfgrmvvlj.acm-validations.aws";
    /** Credentials for this account: the pipeline signs its calls with them, and nothing checks the signatures. */
    public static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("DEMOACCOUNTKEY", "demo-account-has-no-secret"));
    /** Who deleted the validation record, in the account's CloudTrail. */
    static final String SOMEONE = "j.doe";

    private static final Logger LOG = LoggerFactory.getLogger(DemoCloud.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String R53 = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final String CLOUDFRONT = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    private static final String ACM = "CertificateManager.";
    private static final String CLOUDTRAIL = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    /** A record set of the zone; names are absolute (with the final dot), as Route 53 answers them. */
    record RecordSet(String name, String type, long ttl, List<String> values) {
        RecordSet {
            values = List.copyOf(values);
        }
    }

    /** A CloudTrail write event on the zone. */
    private record Event(String id, Instant at, String user) {
    }

    /** A call refused with an AWS error. */
    private static final class Refused extends CloudopsException {
        private final int status;
        private final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final DemoSite site;
    private final Clock clock;
    /** The zone's record sets in Route 53's order (labels reversed, then type). */
    private final TreeMap<String, RecordSet> records = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private final Instant issuedAt;
    private boolean validated;
    private Instant renewedAt;

    private DemoCloud(HttpServer server, DemoSite site, Clock clock) {
        this.server = server;
        this.site = site;
        this.clock = clock;
        this.issuedAt = site.expiresAt().minus(Duration.ofDays(3));
        RecordSet shop = new RecordSet(DemoSite.SHOP_HOST + ".", "A", 300, List.of("127.0.0.1"));
        records.put(key(shop.name(), shop.type()), shop);
        events.add(new Event(UUID.randomUUID().toString(), clock.instant().minus(Duration.ofHours(3)), SOMEONE));
    }

    /** Starts the account, answering on a free loopback port, with the validation record of {@code site}'s shop gone. */
    public static DemoCloud start(DemoSite site, Clock clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DemoCloud cloud = new DemoCloud(server, site, clock);
            server.createContext("/", cloud::handle);
            server.setExecutor(cloud.threads);
            server.start();
            return cloud;
        } catch (IOException e) {
            throw new CloudopsException("the demo account cannot start: " + e.getMessage(), e);
        }
    }

    /** The endpoint to configure as {@code aws.endpoint}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Whether ACM has renewed the certificate since the validation record was last deleted. */
    public synchronized boolean renewed() {
        return validated;
    }

    /** When ACM last renewed the certificate; null before the first renewal. */
    public synchronized Instant renewedAt() {
        return renewedAt;
    }

    /** The change batches the account accepted, one line a change, in order ({@code UPSERT name type [values]}). */
    public synchronized List<String> changes() {
        return List.copyOf(changes);
    }

    /** The zone's record sets now. */
    synchronized List<RecordSet> records() {
        return List.copyOf(records.values());
    }

    /**
     * The problem again, as a year later: someone deletes the validation record once more, so ACM cannot renew,
     * and the shop serves a certificate expiring in 2 days.
     */
    public synchronized void recur() {
        records.remove(key(VALIDATION_NAME + ".", "CNAME"));
        events.add(new Event(UUID.randomUUID().toString(), clock.instant(), SOMEONE));
        changes.add("DELETE " + VALIDATION_NAME + ". CNAME [" + VALIDATION_VALUE + ".] by " + SOMEONE);
        validated = false;
        site.expire();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            try {
                if (target != null) {
                    send(exchange, 200, "application/x-amz-json-1.1", json(target, JSON.readTree(body.length == 0
                            ? "{}".getBytes(StandardCharsets.UTF_8) : body)).toString());
                } else if (path.startsWith("/2013-04-01/") || path.startsWith("/2020-05-31/")) {
                    send(exchange, 200, "text/xml", restXml(method, path, query, body));
                } else {
                    // S3 (path style) and anything else: nothing of it is in this account.
                    send(exchange, 501, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                            + "NotImplemented</Code><Message>the demo account does not answer " + xml(method + " " + path)
                            + "</Message><RequestId>" + UUID.randomUUID() + "</RequestId></Error>");
                }
            } catch (Refused e) {
                if (target != null) {
                    ObjectNode error = JSON.createObjectNode().put("__type", e.code).put("message", e.getMessage());
                    send(exchange, e.status, "application/x-amz-json-1.1", error.toString());
                } else {
                    send(exchange, e.status, "text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse"
                            + " xmlns=\"" + (path.startsWith("/2020-05-31/") ? CLOUDFRONT : R53) + "\"><Error><Type>"
                            + "Sender</Type><Code>" + e.code + "</Code><Message>" + xml(e.getMessage()) + "</Message>"
                            + "</Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("demo account: {}", e.toString());
        }
    }

    private String restXml(String method, String path, Map<String, String> query, byte[] body) {
        String[] parts = path.split("/");
        if (method.equals("GET") && path.equals("/2013-04-01/hostedzonesbyname")) {
            return hostedZonesByName(query.getOrDefault("dnsname", ""));
        }
        if (path.startsWith("/2013-04-01/hostedzone/") && parts.length == 5 && parts[4].equals("rrset")) {
            if (!parts[3].equals(ZONE_ID)) {
                throw new Refused(404, "NoSuchHostedZone", "No hosted zone found with ID: " + parts[3]);
            }
            if (method.equals("GET")) {
                return recordSets(query.getOrDefault("name", ""), query.getOrDefault("type", ""),
                        Integer.parseInt(query.getOrDefault("maxitems", "300")));
            }
            if (method.equals("POST")) {
                return change(body);
            }
        }
        if (method.equals("GET") && path.startsWith("/2013-04-01/change/") && parts.length == 4) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><GetChangeResponse xmlns=\"" + R53 + "\"><ChangeInfo>"
                    + "<Id>/change/" + xml(parts[3]) + "</Id><Status>INSYNC</Status><SubmittedAt>" + clock.instant()
                    + "</SubmittedAt></ChangeInfo></GetChangeResponse>";
        }
        if (method.equals("GET") && path.equals("/2020-05-31/distribution")) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DistributionList xmlns=\"" + CLOUDFRONT + "\"><Marker>"
                    + "</Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity>"
                    + "</DistributionList>";
        }
        throw new Refused(400, "InvalidInput", "the demo account does not answer " + method + " " + path);
    }

    /** The account's one zone, when it sorts at or after {@code dnsName} as Route 53 lists zones. */
    private String hostedZonesByName(String dnsName) {
        boolean listed = reversed(ZONE_NAME).compareTo(reversed(dnsName)) >= 0;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListHostedZonesByNameResponse xmlns=\"" + R53 + "\">"
                + "<HostedZones>" + (listed ? "<HostedZone><Id>/hostedzone/" + ZONE_ID + "</Id><Name>" + ZONE_NAME
                + ".</Name><CallerReference>cloudops-demo</CallerReference><Config><PrivateZone>false</PrivateZone>"
                + "</Config><ResourceRecordSetCount>" + (records().size() + 2) + "</ResourceRecordSetCount>"
                + "</HostedZone>" : "") + "</HostedZones><DNSName>" + xml(dnsName) + "</DNSName><IsTruncated>false"
                + "</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>";
    }

    /** The record sets from {@code name} (and {@code type}) on, at most {@code max}, with where the next page starts. */
    private synchronized String recordSets(String name, String type, int max) {
        List<RecordSet> from = new ArrayList<>(records.tailMap(key(name, type), true).values());
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListResourceRecordSetsResponse"
                + " xmlns=\"" + R53 + "\"><ResourceRecordSets>");
        from.stream().limit(max).forEach(r -> {
            xml.append("<ResourceRecordSet><Name>").append(xml(r.name())).append("</Name><Type>").append(r.type())
                    .append("</Type><TTL>").append(r.ttl()).append("</TTL><ResourceRecords>");
            r.values().forEach(v -> xml.append("<ResourceRecord><Value>").append(xml(v)).append("</Value></ResourceRecord>"));
            xml.append("</ResourceRecords></ResourceRecordSet>");
        });
        xml.append("</ResourceRecordSets><IsTruncated>").append(from.size() > max).append("</IsTruncated>");
        if (from.size() > max) {
            xml.append("<NextRecordName>").append(xml(from.get(max).name())).append("</NextRecordName><NextRecordType>")
                    .append(from.get(max).type()).append("</NextRecordType>");
        }
        return xml.append("<MaxItems>").append(max).append("</MaxItems></ListResourceRecordSetsResponse>").toString();
    }

    /**
     * One change batch, all or nothing, as Route 53 applies it: a CREATE of an existing record set, or a DELETE
     * that does not name one exactly, refuses the whole batch. The validation record restored renews the certificate.
     */
    private synchronized String change(byte[] body) {
        Document batch = parse(body);
        TreeMap<String, RecordSet> next = new TreeMap<>(records);
        List<String> applied = new ArrayList<>();
        NodeList list = batch.getElementsByTagNameNS("*", "Change");
        for (int i = 0; i < list.getLength(); i++) {
            Element change = (Element) list.item(i);
            String action = text(change, "Action");
            Element set = (Element) change.getElementsByTagNameNS("*", "ResourceRecordSet").item(0);
            if (set == null || set.getElementsByTagNameNS("*", "AliasTarget").getLength() > 0) {
                throw new Refused(400, "InvalidInput", "the demo account holds record sets with values only");
            }
            String name = absolute(text(set, "Name"));
            String type = text(set, "Type").toUpperCase(Locale.ROOT);
            List<String> values = new ArrayList<>();
            NodeList valueNodes = set.getElementsByTagNameNS("*", "Value");
            for (int v = 0; v < valueNodes.getLength(); v++) {
                values.add(valueNodes.item(v).getTextContent().strip());
            }
            String ttl = text(set, "TTL");
            RecordSet record = new RecordSet(name, type, ttl.isEmpty() ? 300 : Long.parseLong(ttl), values);
            if (!name.equals(ZONE_NAME + ".") && !name.endsWith("." + ZONE_NAME + ".")) {
                throw new Refused(400, "InvalidChangeBatch", "RRSet with DNS name " + name + " is not permitted in zone "
                        + ZONE_NAME + ".");
            }
            String key = key(name, type);
            switch (action) {
                case "CREATE" -> {
                    if (next.containsKey(key)) {
                        throw new Refused(400, "InvalidChangeBatch", "[Tried to create resource record set [name='"
                                + name + "', type='" + type + "'] but it already exists]");
                    }
                    next.put(key, record);
                }
                case "DELETE" -> {
                    if (!record.equals(next.get(key))) {
                        throw new Refused(400, "InvalidChangeBatch", "[Tried to delete resource record set [name='"
                                + name + "', type='" + type + "'] but it was not found]");
                    }
                    next.remove(key);
                }
                case "UPSERT" -> next.put(key, record);
                default -> throw new Refused(400, "InvalidInput", "unknown change action " + action);
            }
            applied.add(action + " " + name + " " + type + " " + values);
        }
        records.clear();
        records.putAll(next);
        changes.addAll(applied);
        events.add(new Event(UUID.randomUUID().toString(), clock.instant(), "cloudops-local"));
        String id = "C" + String.format("%013d", changes.size());
        RecordSet validation = records.get(key(VALIDATION_NAME + ".", "CNAME"));
        if (!validated && validation != null && validation.values().stream().map(DemoCloud::absolute)
                .anyMatch(v -> v.equals(VALIDATION_VALUE + "."))) {
            validated = true;
            renewedAt = clock.instant();
            site.renew();
            LOG.info("demo account: the validation record is back; ACM renewed the shop's certificate");
        }
        String comment = text(batch.getDocumentElement(), "Comment");
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ChangeResourceRecordSetsResponse xmlns=\"" + R53 + "\">"
                + "<ChangeInfo><Id>/change/" + id + "</Id><Status>PENDING</Status><SubmittedAt>" + clock.instant()
                + "</SubmittedAt><Comment>" + xml(comment) + "</Comment></ChangeInfo></ChangeResourceRecordSetsResponse>";
    }

    private ObjectNode json(String target, JsonNode request) {
        return switch (target) {
            case ACM + "ListCertificates" -> {
                ObjectNode response = JSON.createObjectNode();
                ObjectNode summary = response.putArray("CertificateSummaryList").addObject();
                summary.put("CertificateArn", CERTIFICATE_ARN).put("DomainName", DemoSite.SHOP_HOST);
                summary.putArray("SubjectAlternativeNameSummaries").add(DemoSite.SHOP_HOST);
                summary.put("Status", "ISSUED").put("Type", "AMAZON_ISSUED").put("InUse", false)
                        .put("RenewalEligibility", "ELIGIBLE").put("NotAfter", seconds(site.expiresAt()));
                yield response;
            }
            case ACM + "DescribeCertificate" -> {
                if (!CERTIFICATE_ARN.equals(request.path("CertificateArn").asText())) {
                    throw new Refused(400, "ResourceNotFoundException", "Could not find certificate "
                            + request.path("CertificateArn").asText() + ".");
                }
                yield certificate();
            }
            case CLOUDTRAIL + "LookupEvents" -> lookupEvents(request);
            default -> throw new Refused(400, "UnknownOperationException", "the demo account does not answer " + target);
        };
    }

    private synchronized ObjectNode certificate() {
        String status = validated ? "SUCCESS" : "PENDING_VALIDATION";
        ObjectNode response = JSON.createObjectNode();
        ObjectNode c = response.putObject("Certificate");
        c.put("CertificateArn", CERTIFICATE_ARN).put("DomainName", DemoSite.SHOP_HOST);
        c.putArray("SubjectAlternativeNames").add(DemoSite.SHOP_HOST);
        validation(c.putArray("DomainValidationOptions"), status);
        c.put("Subject", "CN=" + DemoSite.SHOP_HOST).put("Issuer", "cloudops demo CA").put("Status", "ISSUED")
                .put("Type", "AMAZON_ISSUED").put("KeyAlgorithm", "EC_prime256v1")
                .put("CreatedAt", seconds(issuedAt)).put("IssuedAt", seconds(validated ? renewedAt : issuedAt))
                .put("NotBefore", seconds(validated ? renewedAt : issuedAt)).put("NotAfter", seconds(site.expiresAt()))
                .put("RenewalEligibility", "ELIGIBLE");
        c.putArray("InUseBy");
        ObjectNode renewal = c.putObject("RenewalSummary");
        renewal.put("RenewalStatus", status);
        validation(renewal.putArray("DomainValidationOptions"), status);
        renewal.put("UpdatedAt", seconds(validated ? renewedAt : clock.instant()));
        return response;
    }

    private static void validation(ArrayNode options, String status) {
        ObjectNode v = options.addObject();
        v.put("DomainName", DemoSite.SHOP_HOST).put("ValidationDomain", DemoSite.SHOP_HOST)
                .put("ValidationStatus", status).put("ValidationMethod", "DNS");
        v.putObject("ResourceRecord").put("Name", VALIDATION_NAME + ".").put("Type", "CNAME")
                .put("Value", VALIDATION_VALUE + ".");
    }

    /** The write events on the zone (its only resource with any) in the asked window; none for anything else. */
    private synchronized ObjectNode lookupEvents(JsonNode request) {
        String resource = request.path("LookupAttributes").path(0).path("AttributeValue").asText();
        double start = request.path("StartTime").asDouble(0);
        double end = request.path("EndTime").asDouble(Double.MAX_VALUE);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("Events");
        if (resource.equals(ZONE_ID)) {
            for (Event e : events) {
                double at = seconds(e.at());
                if (at >= start && at <= end) {
                    ObjectNode event = list.addObject();
                    event.put("EventId", e.id()).put("EventName", "ChangeResourceRecordSets").put("ReadOnly", "false")
                            .put("EventTime", at).put("EventSource", "route53.amazonaws.com")
                            .put("Username", e.user());
                    event.putArray("Resources").addObject().put("ResourceType", "AWS::Route53::HostedZone")
                            .put("ResourceName", ZONE_ID);
                    event.put("CloudTrailEvent", "{}");
                }
            }
        }
        return response;
    }

    /** A record's place in Route 53's order: its labels reversed, then its type. */
    private static String key(String name, String type) {
        return reversed(name) + " " + type.toUpperCase(Locale.ROOT);
    }

    private static String reversed(String name) {
        List<String> labels = Arrays.asList(absolute(name).replaceAll("\\.$", "").split("\\."));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    private static String absolute(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new Refused(400, "InvalidInput", "the change batch is not XML: " + e.getMessage());
        }
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagNameNS("*", tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(name.toLowerCase(Locale.ROOT), eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
