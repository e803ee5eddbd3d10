package dev.cloudops.alert;

import dev.cloudops.time.Timestamps;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An alert and its whole history, as stored in the Alerts table (DESIGN.md section 2). Immutable: each
 * lifecycle method checks the current state and returns a {@link Transition} to the next one, or throws
 * {@link IllegalTransitionException}. Optional fields are null when absent. Refused decision attempts are
 * only summarised here ({@code refusedAttempts}, {@code lastRefusedAt}; see
 * {@link AlertRepository#noteRefusal}): their details are in the audit log, so refusals cannot grow an alert.
 */
public record Alert(
        String alertId,
        Instant timestamp,
        String domain,
        IssueType issueType,
        String errorDetails,
        String agentSessionId,
        String agentAnalysis,
        String s3AnalysisUrl,
        String s3AnalysisKey,
        AlertState state,
        String approvedBy,
        Instant approvedAt,
        String rejectionReason,
        String executionLogUrl,
        Instant executedAt,
        Duration executionDuration,
        Severity severity,
        List<String> affectedServices,
        String estimatedImpact,
        Instant ttl,
        String targetUrl,
        String fingerprint,
        int occurrences,
        Instant lastSeen,
        Analyzer analyzer,
        String plan,
        String planHash,
        List<Approval> approvals,
        int requiredApprovals,
        String evidenceKey,
        List<AuditEvent> audit,
        long version,
        Instant resolvedAt,
        Resolution resolution,
        int refusedAttempts,
        Instant lastRefusedAt,
        String runbookId) {

    /** The longest {@code agent_analysis} summary kept on the record; the full report lives in S3. */
    public static final int MAX_SUMMARY_CHARS = 1_000;

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(issueType, "issueType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(targetUrl, "targetUrl");
        timestamp = Timestamps.stored(Objects.requireNonNull(timestamp, "timestamp"));
        approvedAt = Timestamps.stored(approvedAt);
        executedAt = Timestamps.stored(executedAt);
        executionDuration = executionDuration == null ? null : Duration.ofMillis(executionDuration.toMillis());
        ttl = ttl == null ? null : Instant.ofEpochSecond(ttl.getEpochSecond());
        lastSeen = Timestamps.stored(lastSeen);
        resolvedAt = Timestamps.stored(resolvedAt);
        lastRefusedAt = Timestamps.stored(lastRefusedAt);
        affectedServices = affectedServices == null ? List.of() : List.copyOf(affectedServices);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        audit = audit == null ? List.of() : List.copyOf(audit);
        fingerprint = fingerprint == null ? fingerprintOf(domain, issueType) : fingerprint;
        if (requiredApprovals < 1) {
            throw new IllegalArgumentException("requiredApprovals must be at least 1, was " + requiredApprovals);
        }
        if (refusedAttempts < 0) {
            throw new IllegalArgumentException("refusedAttempts cannot be negative, was " + refusedAttempts);
        }
    }

    /** The dedupe key of DESIGN.md section 2: {@code domain#issue_type}. */
    public static String fingerprintOf(String domain, IssueType issueType) {
        return domain + "#" + issueType.name();
    }

    /**
     * A newly confirmed failure, in state DETECTED with its first audit event. The domain is the target
     * URL's host, lower-cased.
     */
    public static Alert detect(String alertId, Instant at, URI targetUrl, IssueType issueType, Severity severity,
            String errorDetails, Actor actor) {
        String host = targetUrl.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("target URL has no host: " + targetUrl);
        }
        String domain = host.toLowerCase(Locale.ROOT);
        AuditEvent event = AuditEvent.of(at, AuditAction.DETECTED, actor, AlertState.DETECTED.name(),
                issueType + " on " + domain + ": " + errorDetails).chainedTo(AuditChain.genesis(alertId));
        return new Builder(alertId, at, domain, issueType, severity, targetUrl.toString())
                .errorDetails(errorDetails)
                .lastSeen(at)
                .audit(List.of(event))
                .build();
    }

    public ApprovalStatus approvalStatus() {
        return state.approvalStatus();
    }

    public ExecutionStatus executionStatus() {
        return state.executionStatus();
    }

    public boolean isOpen() {
        return !state.isTerminal();
    }

    /** DETECTED → PENDING_APPROVAL: the analysis is attached and the alert waits for people. */
    public Transition analyze(Analysis analysis, Actor actor, Instant at) {
        require("attach an analysis", EnumSet.of(AlertState.DETECTED));
        String summary = analysis.summary().length() > MAX_SUMMARY_CHARS
                ? analysis.summary().substring(0, MAX_SUMMARY_CHARS - 1) + "…"
                : analysis.summary();
        Builder next = toBuilder()
                .state(AlertState.PENDING_APPROVAL)
                .analyzer(analysis.analyzer())
                .agentSessionId(analysis.agentSessionId())
                .agentAnalysis(summary)
                .s3AnalysisKey(analysis.reportKey())
                .s3AnalysisUrl(analysis.reportUrl())
                .evidenceKey(analysis.evidenceKey())
                .plan(analysis.planJson())
                .planHash(analysis.planHash())
                .requiredApprovals(analysis.requiredApprovals())
                .affectedServices(analysis.affectedServices())
                .estimatedImpact(analysis.estimatedImpact())
                .runbookId(analysis.runbookId());
        String detail = "analysed by " + analysis.analyzer().wireName()
                + (analysis.planJson() == null ? "; no executable plan" : "; plan " + analysis.planHash())
                + (analysis.note() == null ? "" : "; " + analysis.note());
        return step(next, AuditEvent.of(at, AuditAction.ANALYZED, actor, AlertState.PENDING_APPROVAL.name(), detail));
    }

    /**
     * Records one person's approval of the plan they were shown. The alert becomes APPROVED once it has
     * {@code requiredApprovals} approvals from distinct people, told apart by {@code subject} (the identity
     * provider's stable id, never a name or email); until then it stays PENDING_APPROVAL.
     *
     * @param planHashSeen the hash of the plan on the page the person approved from
     * @throws DuplicateApproverException when this person already approved the alert
     * @throws StalePlanException when the plan shown is not the alert's plan any more
     */
    public Transition approve(Actor actor, String subject, String role, String comment, String planHashSeen,
            Instant at) {
        return approve(actor, subject, role, comment, planHashSeen, null, at);
    }

    /**
     * As {@link #approve(Actor, String, String, String, String, Instant)}, recording {@code policyHashSeen}: the
     * hash of the session policy the page said approving grants (the caller has checked it is the plan's policy
     * now; null when no policy was shown).
     */
    public Transition approve(Actor actor, String subject, String role, String comment, String planHashSeen,
            String policyHashSeen, Instant at) {
        require("approve", EnumSet.of(AlertState.PENDING_APPROVAL));
        Objects.requireNonNull(subject, "subject");
        if (!Objects.equals(planHash, planHashSeen)) {
            throw new StalePlanException(alertId, planHashSeen, planHash);
        }
        boolean repeated = approvals.stream().anyMatch(a -> a.person().equals(subject));
        if (repeated) {
            throw new DuplicateApproverException(alertId, actor.name());
        }
        List<Approval> all = new ArrayList<>(approvals);
        all.add(new Approval(actor.name(), subject, role, actor.verified(), at, comment, planHashSeen, policyHashSeen));
        Builder next = toBuilder().approvals(all);
        if (all.size() < requiredApprovals) {
            String result = "approval " + all.size() + " of " + requiredApprovals;
            return step(next, AuditEvent.of(at, AuditAction.APPROVAL_RECORDED, actor, result, comment));
        }
        next.state(AlertState.APPROVED)
                .approvedBy(all.stream().map(Approval::by).collect(Collectors.joining(", ")))
                .approvedAt(at);
        return step(next, AuditEvent.of(at, AuditAction.APPROVED, actor, AlertState.APPROVED.name(), comment));
    }

    /** PENDING_APPROVAL → REJECTED, keeping the reason. */
    public Transition reject(Actor actor, String reason, Instant at) {
        require("reject", EnumSet.of(AlertState.PENDING_APPROVAL));
        Builder next = toBuilder()
                .state(AlertState.REJECTED)
                .rejectionReason(reason)
                .resolution(Resolution.REJECTED)
                .resolvedAt(at);
        return step(next, AuditEvent.of(at, AuditAction.REJECTED, actor, AlertState.REJECTED.name(), reason));
    }

    /** Nobody decided in time, or the approval is too old to run: → EXPIRED. */
    public Transition expire(Actor actor, String reason, Instant at) {
        require("expire", EnumSet.of(AlertState.PENDING_APPROVAL, AlertState.APPROVED, AlertState.EXECUTING));
        Builder next = toBuilder().state(AlertState.EXPIRED).resolution(Resolution.EXPIRED).resolvedAt(at);
        return step(next, AuditEvent.of(at, AuditAction.EXPIRED, actor, AlertState.EXPIRED.name(), reason));
    }

    /** The target recovered on its own before anything was changed: → RESOLVED. */
    public Transition resolveRecovered(Actor actor, String detail, Instant at) {
        require("resolve as recovered", EnumSet.of(
                AlertState.DETECTED, AlertState.PENDING_APPROVAL, AlertState.APPROVED, AlertState.EXECUTING));
        Builder next = toBuilder().state(AlertState.RESOLVED).resolution(Resolution.RECOVERED).resolvedAt(at);
        return step(next, AuditEvent.of(at, AuditAction.RECOVERED, actor, AlertState.RESOLVED.name(), detail));
    }

    /** APPROVED → EXECUTING: the claim that lets exactly one executor run the plan. */
    public Transition startExecution(Actor actor, Instant at) {
        require("start execution", EnumSet.of(AlertState.APPROVED));
        Builder next = toBuilder().state(AlertState.EXECUTING);
        return step(next, AuditEvent.of(at, AuditAction.EXECUTION_STARTED, actor, AlertState.EXECUTING.name(),
                planHash == null ? null : "plan " + planHash));
    }

    /**
     * EXECUTING → EXECUTING: a scheduled run takes over an execution that outlived its invocation, to roll
     * back what it applied. The version moves on, so of two runs trying at once only one takes it over.
     */
    public Transition takeOverExecution(Actor actor, String reason, Instant at) {
        require("take over the execution", EnumSet.of(AlertState.EXECUTING));
        return step(toBuilder(), AuditEvent.of(at, AuditAction.EXECUTION_TAKEN_OVER, actor,
                AlertState.EXECUTING.name(), reason));
    }

    /** EXECUTING → APPROVED: the claim is given back (e.g. to wait for the maintenance window). */
    public Transition deferExecution(Actor actor, String reason, Instant at) {
        require("defer execution", EnumSet.of(AlertState.EXECUTING));
        Builder next = toBuilder().state(AlertState.APPROVED);
        return step(next, AuditEvent.of(at, AuditAction.EXECUTION_DEFERRED, actor, AlertState.APPROVED.name(),
                reason));
    }

    /**
     * EXECUTING → APPROVED: the plan is for a person only, so nothing ran; the alert stays open until the
     * target is healthy again.
     */
    public Transition handOver(Actor actor, String detail, String logUrl, Instant at) {
        require("hand over to a person", EnumSet.of(AlertState.EXECUTING));
        return step(toBuilder().state(AlertState.APPROVED).executionLogUrl(logUrl), AuditEvent.of(at,
                AuditAction.HANDED_OVER, actor,
                AlertState.APPROVED.name(), detail));
    }

    /** EXECUTING → COMPLETED, FAILED or ROLLED_BACK, as the report says. */
    public Transition finishExecution(ExecutionReport report, Actor actor, Instant at) {
        require("finish execution", EnumSet.of(AlertState.EXECUTING));
        AlertState outcome = AlertState.of(ApprovalStatus.APPROVED, report.outcome());
        Builder next = toBuilder()
                .state(outcome)
                .executionLogUrl(report.logUrl())
                .executedAt(report.startedAt())
                .executionDuration(report.duration())
                .resolvedAt(at)
                .resolution(outcome == AlertState.COMPLETED ? Resolution.REMEDIATED : null);
        return step(next, AuditEvent.of(at, AuditAction.EXECUTION_FINISHED, actor, outcome.name(),
                report.detail()));
    }

    private void require(String attempted, Set<AlertState> allowedFrom) {
        if (!allowedFrom.contains(state)) {
            throw new IllegalTransitionException(alertId, state, attempted, allowedFrom);
        }
    }

    private Transition step(Builder next, AuditEvent event) {
        AuditEvent chained = AuditChain.append(alertId, audit, event);
        List<AuditEvent> trail = new ArrayList<>(audit);
        trail.add(chained);
        Alert after = next.audit(trail).version(version + 1).build();
        return new Transition(this, after, chained);
    }

    /** The head of this alert's audit trail, as the store keeps it beside the trail. */
    public AuditChain.Head auditHead() {
        return AuditChain.head(alertId, audit);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds alerts field by field; used by the lifecycle methods, the stores' mappers and tests. */
    public static final class Builder {
        private String alertId;
        private Instant timestamp;
        private String domain;
        private IssueType issueType;
        private String errorDetails;
        private String agentSessionId;
        private String agentAnalysis;
        private String s3AnalysisUrl;
        private String s3AnalysisKey;
        private AlertState state = AlertState.DETECTED;
        private String approvedBy;
        private Instant approvedAt;
        private String rejectionReason;
        private String executionLogUrl;
        private Instant executedAt;
        private Duration executionDuration;
        private Severity severity;
        private List<String> affectedServices = List.of();
        private String estimatedImpact;
        private Instant ttl;
        private String targetUrl;
        private String fingerprint;
        private int occurrences = 1;
        private Instant lastSeen;
        private Analyzer analyzer;
        private String plan;
        private String planHash;
        private List<Approval> approvals = List.of();
        private int requiredApprovals = 1;
        private String evidenceKey;
        private List<AuditEvent> audit = List.of();
        private long version = 1;
        private Instant resolvedAt;
        private Resolution resolution;
        private int refusedAttempts;
        private Instant lastRefusedAt;
        private String runbookId;

        public Builder(String alertId, Instant timestamp, String domain, IssueType issueType, Severity severity,
                String targetUrl) {
            this.alertId = alertId;
            this.timestamp = timestamp;
            this.domain = domain;
            this.issueType = issueType;
            this.severity = severity;
            this.targetUrl = targetUrl;
        }

        private Builder(Alert a) {
            alertId = a.alertId;
            timestamp = a.timestamp;
            domain = a.domain;
            issueType = a.issueType;
            errorDetails = a.errorDetails;
            agentSessionId = a.agentSessionId;
            agentAnalysis = a.agentAnalysis;
            s3AnalysisUrl = a.s3AnalysisUrl;
            s3AnalysisKey = a.s3AnalysisKey;
            state = a.state;
            approvedBy = a.approvedBy;
            approvedAt = a.approvedAt;
            rejectionReason = a.rejectionReason;
            executionLogUrl = a.executionLogUrl;
            executedAt = a.executedAt;
            executionDuration = a.executionDuration;
            severity = a.severity;
            affectedServices = a.affectedServices;
            estimatedImpact = a.estimatedImpact;
            ttl = a.ttl;
            targetUrl = a.targetUrl;
            fingerprint = a.fingerprint;
            occurrences = a.occurrences;
            lastSeen = a.lastSeen;
            analyzer = a.analyzer;
            plan = a.plan;
            planHash = a.planHash;
            approvals = a.approvals;
            requiredApprovals = a.requiredApprovals;
            evidenceKey = a.evidenceKey;
            audit = a.audit;
            version = a.version;
            resolvedAt = a.resolvedAt;
            resolution = a.resolution;
            refusedAttempts = a.refusedAttempts;
            lastRefusedAt = a.lastRefusedAt;
            runbookId = a.runbookId;
        }

        public Builder errorDetails(String v) { errorDetails = v; return this; }
        public Builder agentSessionId(String v) { agentSessionId = v; return this; }
        public Builder agentAnalysis(String v) { agentAnalysis = v; return this; }
        public Builder s3AnalysisUrl(String v) { s3AnalysisUrl = v; return this; }
        public Builder s3AnalysisKey(String v) { s3AnalysisKey = v; return this; }
        public Builder state(AlertState v) { state = v; return this; }
        public Builder approvedBy(String v) { approvedBy = v; return this; }
        public Builder approvedAt(Instant v) { approvedAt = v; return this; }
        public Builder rejectionReason(String v) { rejectionReason = v; return this; }
        public Builder executionLogUrl(String v) { executionLogUrl = v; return this; }
        public Builder executedAt(Instant v) { executedAt = v; return this; }
        public Builder executionDuration(Duration v) { executionDuration = v; return this; }
        public Builder affectedServices(List<String> v) { affectedServices = v; return this; }
        public Builder estimatedImpact(String v) { estimatedImpact = v; return this; }
        public Builder ttl(Instant v) { ttl = v; return this; }
        public Builder fingerprint(String v) { fingerprint = v; return this; }
        public Builder occurrences(int v) { occurrences = v; return this; }
        public Builder lastSeen(Instant v) { lastSeen = v; return this; }
        public Builder analyzer(Analyzer v) { analyzer = v; return this; }
        public Builder plan(String v) { plan = v; return this; }
        public Builder planHash(String v) { planHash = v; return this; }
        public Builder approvals(List<Approval> v) { approvals = v; return this; }
        public Builder requiredApprovals(int v) { requiredApprovals = v; return this; }
        public Builder evidenceKey(String v) { evidenceKey = v; return this; }
        public Builder audit(List<AuditEvent> v) { audit = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder resolvedAt(Instant v) { resolvedAt = v; return this; }
        public Builder resolution(Resolution v) { resolution = v; return this; }
        public Builder refusedAttempts(int v) { refusedAttempts = v; return this; }
        public Builder lastRefusedAt(Instant v) { lastRefusedAt = v; return this; }
        public Builder runbookId(String v) { runbookId = v; return this; }

        public Alert build() {
            return new Alert(alertId, timestamp, domain, issueType, errorDetails, agentSessionId, agentAnalysis,
                    s3AnalysisUrl, s3AnalysisKey, state, approvedBy, approvedAt, rejectionReason, executionLogUrl,
                    executedAt, executionDuration, severity, affectedServices, estimatedImpact, ttl, targetUrl,
                    fingerprint, occurrences, lastSeen, analyzer, plan, planHash, approvals, requiredApprovals,
                    evidenceKey, audit, version, resolvedAt, resolution, refusedAttempts, lastRefusedAt,
                    runbookId);
        }
    }
}
