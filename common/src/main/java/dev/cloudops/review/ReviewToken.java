package dev.cloudops.review;

import dev.cloudops.CloudopsException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring, URL-safe tokens for review links: {@code payload.signature}, where the payload binds
 * version, purpose, alert id and expiry, and the signature is HMAC-SHA256 over it. Verification is
 * constant-time and refuses expired, tampered, wrong-alert and wrong-purpose tokens.
 */
public final class ReviewToken {

    /** The purpose of links in notifications. */
    public static final String REVIEW = "review";
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final int MIN_KEY_BYTES = 32;

    /** The outcome of checking a token. */
    public sealed interface Check {
        record Valid(String alertId, Instant expiresAt) implements Check {
        }

        record Invalid(String reason) implements Check {
        }
    }

    private final byte[] key;
    private final Clock clock;

    public ReviewToken(byte[] key, Clock clock) {
        if (key.length < MIN_KEY_BYTES) {
            throw new CloudopsException("the review-link signing key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = key.clone();
        this.clock = clock;
    }

    public String issue(String alertId, String purpose, Duration validFor) {
        if (alertId.contains("|") || purpose.contains("|")) {
            throw new IllegalArgumentException("alert id and purpose may not contain '|'");
        }
        long expires = clock.instant().plus(validFor).getEpochSecond();
        String payload = "v1|" + purpose + "|" + alertId + "|" + expires;
        return ENCODE.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + ENCODE.encodeToString(sign(payload));
    }

    public Check verify(String token, String alertId, String purpose) {
        if (token == null || token.length() > 512) {
            return new Check.Invalid("missing or oversized token");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return new Check.Invalid("malformed token");
        }
        String payload;
        byte[] signature;
        try {
            payload = new String(DECODE.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            signature = DECODE.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Check.Invalid("malformed token");
        }
        if (!MessageDigest.isEqual(sign(payload), signature)) {
            return new Check.Invalid("bad signature");
        }
        String[] parts = payload.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return new Check.Invalid("malformed token");
        }
        if (!parts[1].equals(purpose)) {
            return new Check.Invalid("token is for another purpose");
        }
        if (!parts[2].equals(alertId)) {
            return new Check.Invalid("token is for another alert");
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            return new Check.Invalid("malformed token");
        }
        if (!clock.instant().isBefore(expires)) {
            return new Check.Invalid("token expired at " + expires);
        }
        return new Check.Valid(alertId, expires);
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
