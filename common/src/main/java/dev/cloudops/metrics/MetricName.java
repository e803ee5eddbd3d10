package dev.cloudops.metrics;

/**
 * Every metric the functions emit (DESIGN.md section 10), with its CloudWatch unit. Rates are 0/1
 * samples: their Average is the rate. The one place to look up what a metric means.
 */
public enum MetricName {
    /** monitor: 1 per alert raised; dimension Severity. */
    ALERTS_GENERATED("AlertsGenerated", Unit.COUNT),
    /** monitor: from the first failing probe of the streak to the alert being stored; dimension Severity. */
    DETECTION_LATENCY("DetectionLatency", Unit.MILLISECONDS),
    /** Every function, per closed alert: 1 when it was resolved as recovered before anyone decided, else 0. */
    FALSE_POSITIVE_RATE("FalsePositiveRate", Unit.NONE),
    /** monitor: 1 per call of the Bedrock agent. */
    AGENT_INVOCATION_COUNT("AgentInvocationCount", Unit.COUNT),
    /** monitor: how long one call of the Bedrock agent took, answered or failed. */
    AGENT_RESPONSE_TIME("AgentResponseTime", Unit.MILLISECONDS),
    /** monitor: tokens of one agent answer; dimension TokenType (input, output). */
    AGENT_TOKENS_USED("AgentTokensUsed", Unit.COUNT),
    /** monitor, per agent call: 1 when the rule engine had to answer instead, else 0. */
    AGENT_ERROR_RATE("AgentErrorRate", Unit.NONE),
    /** monitor, per scheduled run: alerts waiting for a decision. */
    PENDING_APPROVALS("PendingApprovals", Unit.COUNT),
    /** monitor, per analysed alert: estimated USD spent on it (see the monitor's CostModel). */
    COST_PER_ALERT("CostPerAlert", Unit.NONE),
    /** approval: from the alert being raised to the final approval or rejection; dimension Severity. */
    APPROVAL_LATENCY("ApprovalLatency", Unit.MILLISECONDS),
    /** approval, per final decision: 1 for approved, 0 for rejected. */
    APPROVAL_RATE("ApprovalRate", Unit.NONE),
    /** approval, per final decision: 1 for rejected, 0 for approved. */
    REJECTION_RATE("RejectionRate", Unit.NONE),
    /** execution: 1 per alert claimed for execution. */
    EXECUTIONS_TRIGGERED("ExecutionsTriggered", Unit.COUNT),
    /** execution, per finished execution: 1 for COMPLETED, 0 for FAILED or ROLLED_BACK. */
    EXECUTION_SUCCESS_RATE("ExecutionSuccessRate", Unit.NONE),
    /** execution: from the claim to the recorded outcome of a finished execution. */
    EXECUTION_DURATION("ExecutionDuration", Unit.MILLISECONDS),
    /** execution, per finished execution: 1 for FAILED or ROLLED_BACK, 0 for COMPLETED. */
    EXECUTION_ERRORS("ExecutionErrors", Unit.COUNT);

    /** The CloudWatch units used here, as CloudWatch spells them. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), NONE("None");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }

    private final String metricName;
    private final Unit unit;

    MetricName(String metricName, Unit unit) {
        this.metricName = metricName;
        this.unit = unit;
    }

    /** The name in CloudWatch, e.g. {@code AlertsGenerated}. */
    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }
}
