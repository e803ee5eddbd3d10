package dev.cloudops.testing.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.cloudops.aws.AwsClients;
import dev.cloudops.config.AwsSettings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * WireMock answering as Route 53, CloudFront and ACM from state kept in memory, in each service's own wire
 * format (REST-XML in the 2013-04-01 and 2020-05-31 namespaces, JSON 1.1), as the API references describe
 * them: the stand-in side of the edge contract suites, which run the same tests on moto ({@link EdgeEndpoint}).
 * It holds what the adapters read and write, seeded through the SDK like moto: hosted zones (public and
 * private), record sets (ChangeResourceRecordSets applied as one atomic batch, refused with InvalidChangeBatch
 * when a CREATE finds the record or a DELETE does not find it exactly as given), distributions (ETags that
 * change on every update, and UpdateDistribution refused with PreconditionFailed unless {@code If-Match} is the
 * current one) and certificates (requested with DNS validation, idempotent by token). Lists page as the
 * references say: ListHostedZonesByName by {@code MaxItems}, {@code NextDNSName} and {@code NextHostedZoneId};
 * ListResourceRecordSets by {@code NextRecordName} and {@code NextRecordType}; ListDistributions by
 * {@code Marker}; ListCertificates by {@code NextToken}.
 */
public final class EdgeStandIn implements AutoCloseable {

    static final String R53 = "https://route53.amazonaws.com/doc/2013-04-01/";
    static final String CF = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final WireMockServer server;
    private final AwsClients clients;
    private final Map<String, Zone> zones = new LinkedHashMap<>();
    private final Map<String, Distribution> distributions = new LinkedHashMap<>();
    private final Map<String, Certificate> certificates = new LinkedHashMap<>();

    private EdgeStandIn() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(URI.create(server.baseUrl()))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    /** Starts the stand-in on a free loopback port. */
    public static EdgeStandIn start() {
        return new EdgeStandIn();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** Clients for the stand-in (region us-east-1), closed with it. */
    public AwsClients clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.close();
        server.stop();
    }

    private final class Answer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (EdgeStandIn.this) {
                try {
                    return answer(event.getRequest()).build();
                } catch (Refused r) {
                    return r.response.build();
                } catch (RuntimeException e) {
                    return aResponse().withStatus(500).withBody("stand-in failed: " + e).build();
                }
            }
        }

        @Override
        public String getName() {
            return "edge-stand-in";
        }
    }

    private static final Pattern ZONE_RRSET = Pattern.compile("/2013-04-01/hostedzone/([^/]+)/rrset/?");
    private static final Pattern CHANGE = Pattern.compile("/2013-04-01/change/(.+)");
    private static final Pattern DISTRIBUTION = Pattern.compile("/2020-05-31/distribution/([^/]+)(/config)?");

    private ResponseDefinitionBuilder answer(Request request) {
        String path = request.getUrl().split("\\?", 2)[0];
        Map<String, String> query = query(request.getUrl());
        String method = request.getMethod().getName();
        String target = request.getHeader("X-Amz-Target");
        if (target != null && target.startsWith("CertificateManager.")) {
            return acm(target.substring("CertificateManager.".length()), readJson(request.getBodyAsString()));
        }
        Matcher m;
        if (path.equals("/2013-04-01/hostedzone") && method.equals("POST")) {
            return createHostedZone(xml(request.getBodyAsString()));
        }
        if (path.equals("/2013-04-01/hostedzonesbyname") && method.equals("GET")) {
            return listHostedZonesByName(query);
        }
        if ((m = ZONE_RRSET.matcher(path)).matches()) {
            Zone zone = zones.get(m.group(1));
            if (zone == null) {
                throw new Refused(r53Error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + m.group(1)));
            }
            return method.equals("POST") ? changeRecords(zone, xml(request.getBodyAsString()))
                    : listRecords(zone, query);
        }
        if ((m = CHANGE.matcher(path)).matches()) {
            return ok("<GetChangeResponse xmlns=\"" + R53 + "\">" + changeInfo(m.group(1)) + "</GetChangeResponse>");
        }
        if (path.equals("/2020-05-31/distribution") && method.equals("POST")) {
            return createDistribution(request.getBodyAsString());
        }
        if (path.equals("/2020-05-31/distribution") && method.equals("GET")) {
            return listDistributions(query);
        }
        if ((m = DISTRIBUTION.matcher(path)).matches()) {
            Distribution d = distributions.get(m.group(1));
            if (d == null) {
                throw new Refused(cfError(404, "NoSuchDistribution", "The specified distribution does not exist."));
            }
            boolean config = m.group(2) != null;
            if (method.equals("PUT") && config) {
                return updateDistribution(d, request.getHeader("If-Match"), request.getBodyAsString());
            }
            return ok(config ? "<DistributionConfig xmlns=\"" + CF + "\">" + d.config + "</DistributionConfig>"
                    : d.xml()).withHeader("ETag", d.etag);
        }
        return aResponse().withStatus(501).withBody("the edge stand-in does not answer " + method + " " + path);
    }

    // ---------------------------------------------------------------- Route 53

    /** A hosted zone and its record sets. */
    private static final class Zone {
        final String id;
        final String name;
        final String callerReference;
        final boolean privateZone;
        final List<RecordSet> records = new ArrayList<>();

        Zone(String id, String name, String callerReference, boolean privateZone) {
            this.id = id;
            this.name = name;
            this.callerReference = callerReference;
            this.privateZone = privateZone;
        }

        String xml() {
            return "<HostedZone><Id>/hostedzone/" + id + "</Id><Name>" + name + "</Name><CallerReference>"
                    + esc(callerReference) + "</CallerReference><Config><PrivateZone>" + privateZone
                    + "</PrivateZone></Config><ResourceRecordSetCount>" + records.size()
                    + "</ResourceRecordSetCount></HostedZone>";
        }
    }

    /** One record set: values with a TTL, or an alias target. */
    private record RecordSet(String name, String type, Long ttl, List<String> values, String aliasZone,
            String aliasDns, Boolean evaluate) {

        String xml() {
            StringBuilder b = new StringBuilder("<ResourceRecordSet><Name>").append(esc(name)).append("</Name><Type>")
                    .append(type).append("</Type>");
            if (aliasDns != null) {
                b.append("<AliasTarget><HostedZoneId>").append(aliasZone).append("</HostedZoneId><DNSName>")
                        .append(esc(aliasDns)).append("</DNSName><EvaluateTargetHealth>").append(evaluate)
                        .append("</EvaluateTargetHealth></AliasTarget>");
            } else {
                b.append("<TTL>").append(ttl).append("</TTL><ResourceRecords>");
                values.forEach(v -> b.append("<ResourceRecord><Value>").append(esc(v)).append("</Value></ResourceRecord>"));
                b.append("</ResourceRecords>");
            }
            return b.append("</ResourceRecordSet>").toString();
        }

        String describe() {
            return "[name='" + name + "', type='" + type + "']";
        }
    }

    private ResponseDefinitionBuilder createHostedZone(Element request) {
        String name = absolute(text(request, "Name"));
        String reference = text(request, "CallerReference");
        boolean privateZone = "true".equals(text(child(request, "HostedZoneConfig"), "PrivateZone"))
                || child(request, "VPC") != null;
        for (Zone z : zones.values()) {
            if (z.callerReference.equals(reference)) {
                throw new Refused(r53Error(409, "HostedZoneAlreadyExists", "A hosted zone has already been created "
                        + "with the specified caller reference."));
            }
        }
        Zone zone = new Zone("Z" + random(20), name, reference, privateZone);
        zone.records.add(new RecordSet(name, "NS", 172800L, List.of("ns-1.awsdns-01.org.", "ns-2.awsdns-02.net."),
                null, null, null));
        zone.records.add(new RecordSet(name, "SOA", 900L, List.of("ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. "
                + "1 7200 900 1209600 86400"), null, null, null));
        zones.put(zone.id, zone);
        return ok("<CreateHostedZoneResponse xmlns=\"" + R53 + "\">" + zone.xml() + changeInfo("C" + random(13))
                + (privateZone ? "" : "<DelegationSet><NameServers><NameServer>ns-1.awsdns-01.org</NameServer>"
                + "</NameServers></DelegationSet>") + "</CreateHostedZoneResponse>").withStatus(201)
                .withHeader("Location", baseUrl() + "/2013-04-01/hostedzone/" + zone.id);
    }

    /**
     * Zones in the order of their names with the labels reversed, then of their ids, from the one named (and
     * with the id given) on, {@code MaxItems} of them (100 when not given).
     */
    private ResponseDefinitionBuilder listHostedZonesByName(Map<String, String> query) {
        List<Zone> sorted = new ArrayList<>(zones.values());
        Comparator<Zone> order = Comparator.comparing((Zone z) -> reversedLabels(z.name)).thenComparing(z -> z.id);
        sorted.sort(order);
        String dnsName = query.get("dnsname");
        String zoneId = query.get("hostedzoneid");
        int max = Integer.parseInt(query.getOrDefault("maxitems", "100"));
        List<Zone> from = sorted.stream().filter(z -> dnsName == null
                || reversedLabels(z.name).compareTo(reversedLabels(absolute(dnsName))) > 0
                || (reversedLabels(z.name).equals(reversedLabels(absolute(dnsName)))
                        && (zoneId == null || z.id.compareTo(zoneId) >= 0))).toList();
        List<Zone> page = from.subList(0, Math.min(max, from.size()));
        StringBuilder b = new StringBuilder("<ListHostedZonesByNameResponse xmlns=\"" + R53 + "\"><HostedZones>");
        page.forEach(z -> b.append(z.xml()));
        b.append("</HostedZones>");
        if (dnsName != null) {
            b.append("<DNSName>").append(esc(dnsName)).append("</DNSName>");
        }
        if (zoneId != null) {
            b.append("<HostedZoneId>").append(zoneId).append("</HostedZoneId>");
        }
        boolean truncated = from.size() > max;
        b.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            Zone next = from.get(max);
            b.append("<NextDNSName>").append(next.name).append("</NextDNSName><NextHostedZoneId>").append(next.id)
                    .append("</NextHostedZoneId>");
        }
        return ok(b.append("<MaxItems>").append(max).append("</MaxItems></ListHostedZonesByNameResponse>").toString());
    }

    /** Record sets sorted by name with the labels reversed, then type, from {@code name} and {@code type} on. */
    private ResponseDefinitionBuilder listRecords(Zone zone, Map<String, String> query) {
        List<RecordSet> sorted = new ArrayList<>(zone.records);
        sorted.sort(Comparator.comparing((RecordSet r) -> reversedLabels(r.name)).thenComparing(RecordSet::type));
        String name = query.get("name");
        String type = query.get("type");
        int max = Integer.parseInt(query.getOrDefault("maxitems", "300"));
        List<RecordSet> from = sorted.stream().filter(r -> name == null
                || reversedLabels(r.name).compareTo(reversedLabels(absolute(name))) > 0
                || (reversedLabels(r.name).equals(reversedLabels(absolute(name)))
                        && (type == null || r.type.compareTo(type) >= 0))).toList();
        List<RecordSet> page = from.subList(0, Math.min(max, from.size()));
        StringBuilder b = new StringBuilder("<ListResourceRecordSetsResponse xmlns=\"" + R53 + "\"><ResourceRecordSets>");
        page.forEach(r -> b.append(r.xml()));
        boolean truncated = from.size() > max;
        b.append("</ResourceRecordSets><IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            b.append("<NextRecordName>").append(esc(from.get(max).name)).append("</NextRecordName><NextRecordType>")
                    .append(from.get(max).type).append("</NextRecordType>");
        }
        return ok(b.append("<MaxItems>").append(max).append("</MaxItems></ListResourceRecordSetsResponse>").toString());
    }

    /** Applies the whole batch to a copy; the zone takes the copy only when every change held. */
    private ResponseDefinitionBuilder changeRecords(Zone zone, Element request) {
        List<RecordSet> after = new ArrayList<>(zone.records);
        List<String> problems = new ArrayList<>();
        for (Element change : children(child(child(request, "ChangeBatch"), "Changes"), "Change")) {
            String action = text(change, "Action");
            RecordSet set = recordSet(child(change, "ResourceRecordSet"), action);
            if (!set.name.equals(zone.name) && !set.name.endsWith("." + zone.name)) {
                throw new Refused(r53Error(400, "InvalidChangeBatch", "[RRSet with DNS name " + set.name
                        + " is not permitted in zone " + zone.name + "]"));
            }
            Optional<RecordSet> existing = after.stream().filter(r -> r.name.equals(set.name) && r.type.equals(set.type))
                    .findFirst();
            switch (action) {
                case "CREATE" -> {
                    if (existing.isPresent()) {
                        problems.add("Tried to create resource record set " + set.describe() + " but it already exists");
                    } else {
                        after.add(set);
                    }
                }
                case "DELETE" -> {
                    if (existing.isEmpty()) {
                        problems.add("Tried to delete resource record set " + set.describe() + " but it was not found");
                    } else if (!existing.get().equals(set)) {
                        problems.add("Tried to delete resource record set " + set.describe()
                                + " but the values provided do not match the current values");
                    } else {
                        after.remove(existing.get());
                    }
                }
                case "UPSERT" -> {
                    existing.ifPresent(after::remove);
                    after.add(set);
                }
                default -> throw new Refused(r53Error(400, "InvalidInput", "Invalid XML ; unknown action " + action));
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(r53Error(400, "InvalidChangeBatch", problems.toString()));
        }
        zone.records.clear();
        zone.records.addAll(after);
        return ok("<ChangeResourceRecordSetsResponse xmlns=\"" + R53 + "\">" + changeInfo("C" + random(13))
                + "</ChangeResourceRecordSetsResponse>");
    }

    private static RecordSet recordSet(Element set, String action) {
        String name = absolute(text(set, "Name")).replace("\\052", "*").toLowerCase(Locale.ROOT);
        String type = text(set, "Type");
        Element alias = child(set, "AliasTarget");
        String ttl = text(set, "TTL");
        if ((alias == null) == (ttl == null)) {
            throw new Refused(r53Error(400, "InvalidInput", "Invalid request: Expected exactly one of [AliasTarget, "
                    + "all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found "
                    + (alias == null ? "none" : "more than one") + " in Change with [Action=" + action + ", Name="
                    + text(set, "Name") + ", Type=" + type + ", SetIdentifier=null]"));
        }
        if (alias != null) {
            return new RecordSet(name, type, null, List.of(), text(alias, "HostedZoneId"),
                    absolute(text(alias, "DNSName")), Boolean.parseBoolean(text(alias, "EvaluateTargetHealth")));
        }
        List<String> values = new ArrayList<>();
        for (Element r : children(child(set, "ResourceRecords"), "ResourceRecord")) {
            values.add(text(r, "Value"));
        }
        return new RecordSet(name, type, Long.parseLong(ttl), List.copyOf(values), null, null, null);
    }

    private static String changeInfo(String id) {
        String bare = id.startsWith("/change/") ? id.substring("/change/".length()) : id;
        return "<ChangeInfo><Id>/change/" + bare + "</Id><Status>INSYNC</Status><SubmittedAt>"
                + java.time.Instant.now() + "</SubmittedAt></ChangeInfo>";
    }

    /** {@code shop.example.com.} as {@code com.example.shop}, the order Route 53 lists names in. */
    private static String reversedLabels(String name) {
        List<String> labels = new ArrayList<>(List.of(name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "").split("\\.")));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    private static ResponseDefinitionBuilder r53Error(int status, String code, String message) {
        return xmlResponse(status, "<ErrorResponse xmlns=\"" + R53 + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + esc(message) + "</Message></Error><RequestId>" + UUID.randomUUID()
                + "</RequestId></ErrorResponse>");
    }

    // ---------------------------------------------------------------- CloudFront

    /** A distribution: its configuration as sent (the inner XML of DistributionConfig) and its ETag. */
    private final class Distribution {
        final String id;
        final String domainName;
        String config;
        String etag;
        String lastModified;

        Distribution(String id, String config) {
            this.id = id;
            this.domainName = "d" + random(13).toLowerCase(Locale.ROOT) + ".cloudfront.net";
            update(config);
        }

        void update(String newConfig) {
            config = newConfig;
            etag = "E" + random(13);
            lastModified = java.time.Instant.now().toString();
        }

        String arn() {
            return "arn:aws:cloudfront::123456789012:distribution/" + id;
        }

        String xml() {
            return "<Distribution xmlns=\"" + CF + "\"><Id>" + id + "</Id><ARN>" + arn() + "</ARN><Status>Deployed"
                    + "</Status><LastModifiedTime>" + lastModified + "</LastModifiedTime><InProgressInvalidationBatches>0"
                    + "</InProgressInvalidationBatches><DomainName>" + domainName + "</DomainName>"
                    + "<DistributionConfig>" + config + "</DistributionConfig></Distribution>";
        }

        /** The DistributionSummary of ListDistributions: the fields copied from the configuration. */
        String summary() {
            Element c = EdgeStandIn.xml("<DistributionConfig>" + config + "</DistributionConfig>");
            StringBuilder b = new StringBuilder("<DistributionSummary><Id>" + id + "</Id><ARN>" + arn() + "</ARN>"
                    + "<Status>Deployed</Status><LastModifiedTime>" + lastModified + "</LastModifiedTime><DomainName>"
                    + domainName + "</DomainName>");
            for (String field : List.of("Aliases", "Origins", "DefaultCacheBehavior", "Comment", "PriceClass",
                    "Enabled", "ViewerCertificate")) {
                Element e = child(c, field);
                if (e != null) {
                    b.append(outer(e));
                }
            }
            return b.append("</DistributionSummary>").toString();
        }
    }

    private ResponseDefinitionBuilder createDistribution(String body) {
        Distribution d = new Distribution("E" + random(13), inner(body));
        distributions.put(d.id, d);
        return ok(d.xml()).withStatus(201).withHeader("ETag", d.etag)
                .withHeader("Location", baseUrl() + "/2020-05-31/distribution/" + d.id);
    }

    private ResponseDefinitionBuilder updateDistribution(Distribution d, String ifMatch, String body) {
        if (ifMatch == null || ifMatch.isEmpty()) {
            throw new Refused(cfError(400, "InvalidIfMatchVersion", "The If-Match version is missing or not valid "
                    + "for the resource."));
        }
        if (!ifMatch.equals(d.etag)) {
            throw new Refused(cfError(412, "PreconditionFailed", "The request failed because it didn't meet the "
                    + "preconditions in one or more request-header fields."));
        }
        d.update(inner(body));
        return ok(d.xml()).withHeader("ETag", d.etag);
    }

    private ResponseDefinitionBuilder listDistributions(Map<String, String> query) {
        List<Distribution> all = new ArrayList<>(distributions.values());
        String marker = query.get("Marker");
        int max = Integer.parseInt(query.getOrDefault("MaxItems", "100"));
        int start = 0;
        if (marker != null && !marker.isEmpty()) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id.equals(marker)) {
                    start = i + 1;
                }
            }
        }
        List<Distribution> page = all.subList(start, Math.min(all.size(), start + max));
        boolean truncated = start + max < all.size();
        StringBuilder b = new StringBuilder("<DistributionList xmlns=\"" + CF + "\"><Marker>"
                + (marker == null ? "" : marker) + "</Marker>");
        if (truncated) {
            b.append("<NextMarker>").append(page.getLast().id).append("</NextMarker>");
        }
        b.append("<MaxItems>").append(max).append("</MaxItems><IsTruncated>").append(truncated)
                .append("</IsTruncated><Quantity>").append(page.size()).append("</Quantity>");
        if (!page.isEmpty()) {
            b.append("<Items>");
            page.forEach(d -> b.append(d.summary()));
            b.append("</Items>");
        }
        return ok(b.append("</DistributionList>").toString());
    }

    private static String inner(String distributionConfigXml) {
        int open = distributionConfigXml.indexOf("<DistributionConfig");
        int start = distributionConfigXml.indexOf('>', open) + 1;
        int end = distributionConfigXml.lastIndexOf("</DistributionConfig>");
        return distributionConfigXml.substring(start, end);
    }

    private static ResponseDefinitionBuilder cfError(int status, String code, String message) {
        return xmlResponse(status, "<ErrorResponse xmlns=\"" + CF + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + esc(message) + "</Message></Error><RequestId>" + UUID.randomUUID()
                + "</RequestId></ErrorResponse>");
    }

    // ---------------------------------------------------------------- ACM

    /** A requested certificate. */
    private record Certificate(String arn, String domainName, List<String> names, String token, String created) {
    }

    private ResponseDefinitionBuilder acm(String operation, JsonNode request) {
        return switch (operation) {
            case "RequestCertificate" -> {
                String token = request.path("IdempotencyToken").asText(null);
                String domain = request.path("DomainName").asText();
                Optional<Certificate> same = certificates.values().stream().filter(c -> token != null
                        && token.equals(c.token) && c.domainName.equals(domain)).findFirst();
                Certificate c = same.orElseGet(() -> {
                    List<String> names = new ArrayList<>(List.of(domain));
                    request.path("SubjectAlternativeNames").forEach(n -> {
                        if (!names.contains(n.asText())) {
                            names.add(n.asText());
                        }
                    });
                    Certificate made = new Certificate("arn:aws:acm:us-east-1:123456789012:certificate/"
                            + UUID.randomUUID(), domain, List.copyOf(names), token,
                            String.valueOf(java.time.Instant.now().getEpochSecond()));
                    certificates.put(made.arn, made);
                    return made;
                });
                yield json(JSON.createObjectNode().put("CertificateArn", c.arn));
            }
            case "DescribeCertificate" -> {
                Certificate c = certificates.get(request.path("CertificateArn").asText());
                if (c == null) {
                    throw new Refused(jsonError("ResourceNotFoundException", "Could not find certificate "
                            + request.path("CertificateArn").asText() + "."));
                }
                ObjectNode detail = JSON.createObjectNode();
                detail.put("CertificateArn", c.arn).put("DomainName", c.domainName);
                ArrayNode sans = detail.putArray("SubjectAlternativeNames");
                c.names.forEach(sans::add);
                ArrayNode options = detail.putArray("DomainValidationOptions");
                for (String name : c.names) {
                    String base = name.startsWith("*.") ? name.substring(2) : name;
                    options.addObject().put("DomainName", name).put("ValidationDomain", name)
                            .put("ValidationStatus", "PENDING_VALIDATION").put("ValidationMethod", "DNS")
                            .putObject("ResourceRecord").put("Name", "_" + hex(c.arn + base, 32) + "." + base + ".")
                            .put("Type", "CNAME").put("Value", "_" + hex(base + c.arn, 32) + ".acm-validations.aws.");
                }
                detail.put("Status", "PENDING_VALIDATION").put("Type", "AMAZON_ISSUED").put("KeyAlgorithm", "RSA_2048")
                        .put("CreatedAt", Long.parseLong(c.created)).putArray("InUseBy");
                ObjectNode response = JSON.createObjectNode();
                response.set("Certificate", detail);
                yield json(response);
            }
            case "ListCertificates" -> {
                List<String> statuses = new ArrayList<>();
                request.path("CertificateStatuses").forEach(s -> statuses.add(s.asText()));
                List<Certificate> matching = certificates.values().stream()
                        .filter(c -> statuses.isEmpty() || statuses.contains("PENDING_VALIDATION")).toList();
                int start = request.hasNonNull("NextToken") ? Integer.parseInt(request.path("NextToken").asText()) : 0;
                int max = request.path("MaxItems").asInt(1000);
                ObjectNode response = JSON.createObjectNode();
                ArrayNode list = response.putArray("CertificateSummaryList");
                for (Certificate c : matching.subList(Math.min(start, matching.size()),
                        Math.min(matching.size(), start + max))) {
                    ObjectNode summary = list.addObject().put("CertificateArn", c.arn).put("DomainName", c.domainName);
                    ArrayNode sans = summary.putArray("SubjectAlternativeNameSummaries");
                    c.names.forEach(sans::add);
                    summary.put("HasAdditionalSubjectAlternativeNames", false).put("Status", "PENDING_VALIDATION")
                            .put("Type", "AMAZON_ISSUED").put("KeyAlgorithm", "RSA_2048").put("InUse", false)
                            .put("CreatedAt", Long.parseLong(c.created));
                }
                if (start + max < matching.size()) {
                    response.put("NextToken", Integer.toString(start + max));
                }
                yield json(response);
            }
            default -> aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody("{\"__type\":\"UnknownOperationException\"}");
        };
    }

    private static ResponseDefinitionBuilder json(JsonNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString()).withBody(body.toString());
    }

    private static ResponseDefinitionBuilder jsonError(String type, String message) {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                .withBody(JSON.createObjectNode().put("__type", type).put("message", message).toString());
    }

    // ---------------------------------------------------------------- wire helpers

    /** A refusal, answered as the service's error. */
    private static final class Refused extends RuntimeException {
        final transient ResponseDefinitionBuilder response;

        Refused(ResponseDefinitionBuilder response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return xmlResponse(200, body);
    }

    private static ResponseDefinitionBuilder xmlResponse(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Element xml(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML: " + body, e);
        }
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }

    private static String outer(Element e) {
        try {
            var transformer = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            var out = new java.io.StringWriter();
            transformer.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(out));
            return out.toString();
        } catch (javax.xml.transform.TransformerException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String random(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }

    private static String hex(String seed, int length) {
        String h = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return (h + h).substring(0, length);
    }
}
