package dev.cloudops.monitor.investigate;

import java.time.Duration;

/**
 * The estimate behind CostPerAlert, in USD: Lambda compute for the measured analysis time at the
 * function's memory, the agent's tokens at the configured Bedrock prices, and the DynamoDB and S3
 * requests one alert makes, at list prices. Every price and request count used is a constant here.
 */
public record CostModel(int memoryMb, double inputPricePer1k, double outputPricePer1k) {

    /** Claude 3.5 Sonnet on demand, per 1,000 input tokens; {@code BEDROCK_INPUT_PRICE_PER_1K} overrides it. */
    public static final double DEFAULT_INPUT_PRICE_PER_1K = 0.003;
    /** Claude 3.5 Sonnet on demand, per 1,000 output tokens; {@code BEDROCK_OUTPUT_PRICE_PER_1K} overrides it. */
    public static final double DEFAULT_OUTPUT_PRICE_PER_1K = 0.015;
    /** Used where Lambda does not set {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE} (tests, local runs). */
    public static final int DEFAULT_MEMORY_MB = 1024;

    /** Lambda on x86 per GB-second (arm64 is 20% cheaper, so this errs high). */
    static final double LAMBDA_PER_GB_SECOND = 0.0000166667;
    /** DynamoDB on-demand, per write request unit ($0.625 per million). */
    static final double DYNAMODB_PER_WRITE = 0.625 / 1_000_000;
    /** DynamoDB on-demand, per read request unit ($0.125 per million). */
    static final double DYNAMODB_PER_READ = 0.125 / 1_000_000;
    /** S3 Standard, per PUT ($0.005 per 1,000). */
    static final double S3_PER_PUT = 0.005 / 1_000;
    /** S3 Standard, per GET ($0.0004 per 1,000). */
    static final double S3_PER_GET = 0.0004 / 1_000;

    /** Writes per alert: the fingerprint claim, the alert, its analysis, and a notification event. */
    static final int DYNAMODB_WRITES_PER_ALERT = 4;
    /** Consistent reads per alert (two units each): the claim holder and the alert after analysis. */
    static final int DYNAMODB_READS_PER_ALERT = 4;
    /** PUTs per alert: the evidence pack and the report. */
    static final int S3_PUTS_PER_ALERT = 2;
    /** GETs per alert: the origin bucket's policy and public access block read as evidence. */
    static final int S3_GETS_PER_ALERT = 2;

    public static CostModel defaults() {
        return new CostModel(DEFAULT_MEMORY_MB, DEFAULT_INPUT_PRICE_PER_1K, DEFAULT_OUTPUT_PRICE_PER_1K);
    }

    /** The estimated cost of one alert analysed in {@code compute} with these agent tokens. */
    public double estimate(Duration compute, long inputTokens, long outputTokens) {
        double gbSeconds = memoryMb / 1024.0 * compute.toMillis() / 1000.0;
        return gbSeconds * LAMBDA_PER_GB_SECOND
                + inputTokens / 1000.0 * inputPricePer1k
                + outputTokens / 1000.0 * outputPricePer1k
                + DYNAMODB_WRITES_PER_ALERT * DYNAMODB_PER_WRITE
                + DYNAMODB_READS_PER_ALERT * DYNAMODB_PER_READ
                + S3_PUTS_PER_ALERT * S3_PER_PUT
                + S3_GETS_PER_ALERT * S3_PER_GET;
    }
}
