package dev.cloudops.plan;

import java.util.List;
import java.util.Objects;

/**
 * One action of the closed catalog of DESIGN.md section 5, with its typed parameters. Its wire name
 * ({@code route53.upsert_record}, ...) is what plans, tools and logs call it.
 */
public sealed interface Action {

    /** The catalog name, e.g. {@code cloudfront.set_enabled}. */
    String name();

    /** False only for {@link ManualStep}, which is shown to a person and never executed. */
    default boolean executable() {
        return true;
    }

    /** A Route 53 record as plans name it: either an alias, or a TTL with values. */
    record RecordSet(String hostedZoneId, String name, String type, Long ttl, List<String> values, Alias alias) {
        public RecordSet {
            Objects.requireNonNull(hostedZoneId, "hostedZoneId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            values = values == null ? List.of() : List.copyOf(values);
            if ((alias == null) == values.isEmpty()) {
                throw new IllegalArgumentException("a record set has either an alias or values, not both or neither");
            }
        }
    }

    /** The target of an alias record, e.g. a CloudFront distribution ({@code Z2FDTNDATAQYW2}). */
    record Alias(String dnsName, String hostedZoneId, boolean evaluateTargetHealth) {
    }

    record UpsertRecord(RecordSet record) implements Action {
        @Override
        public String name() {
            return "route53.upsert_record";
        }
    }

    record DeleteRecord(RecordSet record) implements Action {
        @Override
        public String name() {
            return "route53.delete_record";
        }
    }

    record SetEnabled(String distributionId, boolean enabled) implements Action {
        @Override
        public String name() {
            return "cloudfront.set_enabled";
        }
    }

    record CreateInvalidation(String distributionId, List<String> paths) implements Action {
        public CreateInvalidation {
            paths = List.copyOf(paths);
        }

        @Override
        public String name() {
            return "cloudfront.create_invalidation";
        }
    }

    record SetOrigin(String distributionId, String originId, String domainName) implements Action {
        @Override
        public String name() {
            return "cloudfront.set_origin";
        }
    }

    record SetViewerCertificate(String distributionId, String certificateArn, String minimumProtocolVersion)
            implements Action {
        @Override
        public String name() {
            return "cloudfront.set_viewer_certificate";
        }
    }

    record RequestCertificate(String domainName, List<String> subjectAlternativeNames) implements Action {
        public RequestCertificate {
            subjectAlternativeNames = subjectAlternativeNames == null ? List.of() : List.copyOf(subjectAlternativeNames);
        }

        @Override
        public String name() {
            return "acm.request_certificate";
        }
    }

    /** Instructions for a person; never executed, reported as "for a person". */
    record ManualStep(String instructions) implements Action {
        @Override
        public String name() {
            return "manual.step";
        }

        @Override
        public boolean executable() {
            return false;
        }
    }
}
