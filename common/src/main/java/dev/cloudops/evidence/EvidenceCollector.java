package dev.cloudops.evidence;

/**
 * Reads, with read-only calls, what the account says about a failing host: DNS records, the CloudFront
 * distribution, the certificate, the origin bucket and recent changes. A failed read becomes an item
 * saying so; the pack is never lost because one call failed.
 */
public interface EvidenceCollector {

    EvidencePack collect(String alertId, String host);
}
