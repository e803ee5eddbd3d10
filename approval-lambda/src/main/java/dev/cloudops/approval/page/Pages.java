package dev.cloudops.approval.page;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Approval;
import dev.cloudops.alert.AuditEvent;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.evidence.RegionalSplit;
import dev.cloudops.probe.Layer;
import dev.cloudops.runbook.Runbook;
import dev.cloudops.plan.Action;
import dev.cloudops.plan.Inverse;
import dev.cloudops.plan.Plan;
import dev.cloudops.plan.PlanJson;
import dev.cloudops.plan.PlanParse;
import dev.cloudops.plan.PlanStep;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the portal's pages from HTML resources: the review page, decision outcomes, the queue and
 * errors. Every value is escaped; the analysis goes through {@link MarkdownRenderer}. Every page is
 * served with a Content-Security-Policy that allows no script at all and only our own stylesheet.
 */
public final class Pages {

    /** The form's {@code plan_hash} when the alert has no plan: the approval of "nothing to run". */
    public static final String NO_PLAN = "none";
    private static final String BASE = "/dev/cloudops/approval/page/";
    private static final String CSS = Template.read(BASE + "style.css").strip();
    /** No script, no plugin, no frame, no foreign form target; only the inline stylesheet whose hash is here. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(CSS)
            + "'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Template layout = new Template(BASE + "layout.html");
    private final Template review = new Template(BASE + "review.html");
    private final Template outcome = new Template(BASE + "outcome.html");
    private final Template queue = new Template(BASE + "queue.html");
    private final Template runbooks = new Template(BASE + "runbooks.html");
    private final MarkdownRenderer markdown = new MarkdownRenderer();

    /**
     * What the decision form needs; absent when no decision can be made here. {@code grants} is what approving
     * grants the execution, shown above the form; the approval names its policy's hash.
     */
    public record Form(String csrfToken, Optional<String> reviewToken, boolean askName, String signedInAs,
            Grants grants) {
    }

    /**
     * Everything the review page shows. {@code analysis} is the full report (markdown) or empty with
     * {@code analysisNote} saying why; {@code evidence} is the stored pack's items or null;
     * {@code decisionNotes} are lines about the decision state (who is still needed, why no form).
     */
    public record ReviewModel(Alert alert, Optional<String> analysis, String analysisNote, JsonNode evidence,
            List<String> decisionNotes, Optional<Form> form, Optional<String> reportHref) {
    }

    /** One row of the queue. */
    public record QueueRow(String href, Alert alert) {
    }

    /** The most verified successes an auto-approval may wait for. */
    public static final int AUTO_APPROVAL_MAX = 1000;

    /**
     * One learned runbook on the runbooks page: {@code taughtByHref} links to the review page of the alert that
     * taught it; {@code csrf} is the CSRF token of its forms (promote, for a candidate; auto-approval), absent where
     * the viewer may not decide on runbooks.
     */
    public record RunbookRow(Runbook runbook, String taughtByHref, Optional<String> csrf) {
    }

    public HttpResponse review(ReviewModel m) {
        Alert a = m.alert();
        Map<String, Html> v = new HashMap<>();
        v.put("domain", Html.text(a.domain()));
        v.put("severity", severityBadge(a));
        v.put("issue", Html.text(a.issueType().name()));
        v.put("target", Html.text(a.targetUrl()));
        v.put("alert_id", Html.text(a.alertId()));
        v.put("detected", Html.text(time(a.timestamp())));
        v.put("last_seen", Html.text(time(a.lastSeen() == null ? a.timestamp() : a.lastSeen())));
        int occurrences = Math.max(1, a.occurrences());
        v.put("occurrences", Html.text(occurrences + (occurrences == 1 ? " occurrence" : " occurrences")));
        v.put("analyzer", Html.text(a.analyzer() == null ? "not analysed yet" : a.analyzer().name().toLowerCase(Locale.ROOT)));
        v.put("decision", decisionState(a, m.decisionNotes()));
        v.put("form", m.form().map(f -> Html.concat(List.of(grants(f.grants()), form(a, f)))).orElse(Html.EMPTY));
        v.put("report_link", m.reportHref().map(h -> new Html("<p><a id=\"report-link\" rel=\"noreferrer\" href=\""
                + Html.text(h) + "\">Full report (opens a short-lived link)</a></p>")).orElse(Html.EMPTY));
        v.put("analysis", m.analysis().isPresent()
                ? new Html("<div id=\"analysis-body\">" + markdown.render(m.analysis().get()) + "</div>")
                : note(m.analysisNote(), ""));
        v.put("plan", plan(a));
        v.put("regions", regions(m.evidence()));
        v.put("evidence", evidence(m.evidence()));
        v.put("history", history(a.audit()));
        return page(200, "Review " + a.issueType().name() + " on " + a.domain(),
                a.severity().name() + " · " + a.alertId(), review.render(v));
    }

    /** A decision's outcome (or a refusal) as a page; {@code tone} is "ok" or "bad". */
    public HttpResponse outcome(int status, String heading, String message, boolean good, Alert alert, String backHref) {
        Map<String, Html> v = new HashMap<>();
        v.put("heading", Html.text(heading));
        v.put("tone", Html.text(good ? "ok" : "bad"));
        v.put("message", Html.text(message));
        v.put("details", alert == null ? Html.EMPTY : decisionState(alert, List.of()));
        v.put("back", backHref == null ? Html.EMPTY
                : new Html("<a id=\"back\" href=\"" + Html.text(backHref) + "\">Back to the alert</a>"));
        return page(status, heading, alert == null ? "" : alert.domain() + " · " + alert.alertId(), outcome.render(v));
    }

    public HttpResponse error(int status, String heading, String reason) {
        return outcome(status, heading, reason, false, null, null);
    }

    public HttpResponse queue(String who, List<QueueRow> pending, List<QueueRow> recent, Optional<String> moreHref) {
        Map<String, Html> v = new HashMap<>();
        v.put("pending", pending.isEmpty() ? Html.element("p", "Nothing is waiting for a decision.") : queueTable(pending));
        v.put("recent", recent.isEmpty() ? Html.element("p", "No decisions yet.") : queueTable(recent));
        v.put("more", moreHref.map(h -> new Html("<p><a id=\"more\" href=\"" + Html.text(h) + "\">More</a></p>"))
                .orElse(Html.EMPTY));
        return page(200, "Review queue", "Signed in as " + who, queue.render(v));
    }

    /** The learned runbooks: candidates (each with its promote form where it has a token) and active ones. */
    public HttpResponse runbooks(String who, List<RunbookRow> candidates, List<RunbookRow> active) {
        Map<String, Html> v = new HashMap<>();
        v.put("candidates", candidates.isEmpty() ? Html.element("p", "No candidates.") : runbookTable(candidates));
        v.put("active", active.isEmpty() ? Html.element("p", "No active runbooks.") : runbookTable(active));
        return page(200, "Learned runbooks", "Signed in as " + who, runbooks.render(v));
    }

    private HttpResponse page(int status, String title, String subtitle, String content) {
        String html = layout.render(Map.of("title", Html.text(title), "subtitle", Html.text(subtitle),
                "css", new Html(CSS), "content", new Html(content)));
        return new HttpResponse(status, HttpResponse.baseHeaders("text/html; charset=utf-8"), html)
                .with("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    private static Html severityBadge(Alert a) {
        String s = a.severity().name().toLowerCase(Locale.ROOT);
        return new Html("<span class=\"badge sev-" + s + "\">" + Html.text(s) + "</span>");
    }

    private static Html decisionState(Alert a, List<String> notes) {
        List<Html> parts = new ArrayList<>();
        parts.add(new Html("<p>State: <span class=\"badge\" id=\"state\">" + Html.text(a.state().name()) + "</span>"
                + (a.requiredApprovals() > 1 ? " · approvals " + a.approvals().size() + " of " + a.requiredApprovals()
                : "") + "</p>"));
        if (!a.approvals().isEmpty()) {
            List<Html> items = new ArrayList<>();
            for (Approval ap : a.approvals()) {
                items.add(Html.element("li", "Approved by " + ap.by() + " (" + ap.role() + ", "
                        + (ap.verified() ? "verified" : "unverified, named on the page") + ") at " + time(ap.at())
                        + (ap.comment() == null || ap.comment().isBlank() ? "" : ": " + ap.comment())));
            }
            parts.add(new Html("<ul id=\"approvals\">" + Html.concat(items) + "</ul>"));
        }
        if (a.state() == AlertState.REJECTED) {
            parts.add(Html.element("p", "Rejected by " + a.audit().stream()
                    .filter(e -> e.action() == dev.cloudops.alert.AuditAction.REJECTED).map(AuditEvent::actor)
                    .reduce((x, y) -> y).orElse("someone") + ": " + a.rejectionReason()));
        }
        for (String n : notes) {
            parts.add(note(n, ""));
        }
        return Html.concat(parts);
    }

    private static Html form(Alert a, Form f) {
        StringBuilder b = new StringBuilder();
        b.append("<form id=\"decision-form\" method=\"post\" action=\"").append(Html.text(a.alertId()))
                .append("/decision\">");
        b.append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.text(f.csrfToken())).append("\">");
        f.reviewToken().ifPresent(t -> b.append("<input type=\"hidden\" name=\"t\" value=\"").append(Html.text(t))
                .append("\">"));
        // What is approved is the plan shown: the decision names its hash, and a newer plan refuses it.
        b.append("<input type=\"hidden\" name=\"plan_hash\" value=\"")
                .append(Html.text(a.planHash() == null ? NO_PLAN : a.planHash())).append("\">");
        // And the session policy shown above it, which the decision compares with the plan's policy then.
        if (f.grants() instanceof Grants.Session session) {
            b.append("<input type=\"hidden\" name=\"policy_hash\" value=\"")
                    .append(Html.text(session.policy().sha256())).append("\">");
        }
        if (f.askName()) {
            b.append("<label for=\"approver\">Your name (recorded as unverified)</label>")
                    .append("<input type=\"text\" id=\"approver\" name=\"approver\" required maxlength=\"100\""
                            + " autocomplete=\"name\">");
        } else {
            b.append("<p>Deciding as <strong id=\"signed-in-as\">").append(Html.text(f.signedInAs()))
                    .append("</strong> (verified)</p>");
        }
        b.append("<label for=\"comment\">Comment</label><textarea id=\"comment\" name=\"comment\" rows=\"3\""
                + " maxlength=\"2000\"></textarea>");
        b.append("<p>");
        if (!(f.grants() instanceof Grants.Unapprovable)) {
            b.append("<button type=\"submit\" class=\"approve\" id=\"approve\" name=\"decision\" value=\"approve\">"
                    + "Approve</button>");
        }
        b.append("<button type=\"submit\" class=\"reject\" id=\"reject\" name=\"decision\" value=\"reject\">"
                + "Reject</button></p></form>");
        return new Html(b.toString());
    }

    /**
     * What approving grants the execution, in plain words, with the policy's hash and the policy itself; for a plan
     * that cannot be approved, why. Nothing when there is no plan.
     */
    private static Html grants(Grants grants) {
        Html heading = Html.element("h3", "What approving grants");
        return switch (grants) {
            case Grants.NoPlan n -> Html.EMPTY;
            case Grants.Unscoped u -> note("No executor role is configured, so the execution uses its function's own "
                    + "credentials.", "");
            case Grants.NoCredentials n -> new Html("<section id=\"grants\">" + heading
                    + Html.element("p", "This plan makes no AWS call: approving grants no credentials.") + "</section>");
            case Grants.Unapprovable u -> new Html("<section id=\"grants\">" + heading
                    + note("This plan cannot be approved: " + u.reason() + ". It can still be rejected.", "bad")
                    + "</section>");
            case Grants.Session s -> session(heading, s);
        };
    }

    private static Html session(Html heading, Grants.Session s) {
        List<Html> items = s.policy().grants().stream().map(g -> Html.element("li", g.words())).toList();
        int minutes = s.policy().durationSeconds() / 60;
        return new Html("<section id=\"grants\">" + heading
                + "<p>Approving lets the execution assume the role <code id=\"executor-role\">" + Html.text(s.roleName())
                + "</code> for at most " + minutes + " minutes per attempt, with a session policy that allows only:</p>"
                + "<ul id=\"grants-list\">" + Html.concat(items) + "</ul>"
                + "<p>Session policy SHA-256: <code id=\"policy-hash\">" + Html.text(s.policy().sha256()) + "</code></p>"
                + "<details id=\"policy\"><summary>The session policy</summary><pre id=\"policy-json\">"
                + Html.text(s.policy().json()) + "</pre></details></section>");
    }

    private static Html plan(Alert a) {
        if (a.plan() == null) {
            return Html.element("p", a.analyzer() == null ? "No plan yet: the analysis has not finished."
                    : "The analysis proposes no change; nothing would run.");
        }
        if (!(PlanJson.parse(a.plan()) instanceof PlanParse.Valid valid)) {
            return note("The stored plan cannot be read; it will not be executed.", "bad");
        }
        Plan p = valid.plan();
        StringBuilder rows = new StringBuilder();
        List<PlanStep> steps = p.steps();
        for (int i = 0; i < steps.size(); i++) {
            PlanStep s = steps.get(i);
            JsonNode parameters = PlanJson.toJson(new Plan(null, List.of(s))).at("/steps/0/parameters");
            rows.append(Html.element("tr",
                    Html.element("td", s.id()),
                    new Html("<td><code>" + Html.text(s.action().name()) + "</code></td>"),
                    Html.element("td", target(s.action())),
                    new Html("<td><pre>" + Html.text(before(s)) + "</pre></td>"),
                    new Html("<td><pre>" + Html.text(fields(parameters)) + "</pre></td>"),
                    Html.element("td", s.risk().name().toLowerCase(Locale.ROOT)),
                    Html.element("td", reversible(s.inverse())))).append('\n');
        }
        return new Html((p.summary() == null ? "" : Html.element("p", p.summary()).markup())
                + "<p>Overall risk: <strong>" + Html.text(p.risk().name().toLowerCase(Locale.ROOT)) + "</strong>"
                + (p.executable() ? "" : " · nothing here runs automatically") + "</p>"
                + "<table id=\"plan-table\"><thead><tr><th>Step</th><th>Action</th><th>Target resource</th>"
                + "<th>Before (observed)</th><th>After</th><th>Risk</th><th>Reversible</th></tr></thead><tbody>"
                + rows + "</tbody></table>");
    }

    private static String target(Action action) {
        return switch (action) {
            case Action.UpsertRecord u -> u.record().name() + " " + u.record().type() + " in hosted zone "
                    + u.record().hostedZoneId();
            case Action.DeleteRecord d -> d.record().name() + " " + d.record().type() + " in hosted zone "
                    + d.record().hostedZoneId();
            case Action.SetEnabled s -> "CloudFront distribution " + s.distributionId();
            case Action.CreateInvalidation c -> "CloudFront distribution " + c.distributionId();
            case Action.SetOrigin o -> "CloudFront distribution " + o.distributionId() + ", origin " + o.originId();
            case Action.SetViewerCertificate c -> "CloudFront distribution " + c.distributionId();
            case Action.RequestCertificate r -> "ACM certificate for " + r.domainName();
            case Action.ManualStep m -> "for a person";
        };
    }

    private static String before(PlanStep s) {
        if (s.precondition() == null) {
            return "—";
        }
        StringBuilder b = new StringBuilder("per evidence " + s.precondition().evidenceId() + ":");
        s.precondition().expected().forEach((k, val) -> b.append('\n').append(k).append(" = ").append(val));
        return b.toString();
    }

    private static String fields(JsonNode parameters) {
        if (parameters == null || parameters.isMissingNode() || parameters.isEmpty()) {
            return "—";
        }
        StringBuilder b = new StringBuilder();
        parameters.properties().forEach(e -> b.append(b.isEmpty() ? "" : "\n").append(e.getKey()).append(" = ")
                .append(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return b.toString();
    }

    private static String reversible(Inverse inverse) {
        return switch (inverse) {
            case Inverse.Undo u -> "yes: undone by " + u.action().name();
            case Inverse.Irreversible i -> "no: " + i.reason();
        };
    }

    private static Html evidence(JsonNode items) {
        if (items == null || !items.isArray() || items.isEmpty()) {
            return Html.element("p", "No evidence was stored for this alert.");
        }
        StringBuilder rows = new StringBuilder();
        for (JsonNode item : items) {
            rows.append(Html.element("tr", Html.element("td", item.path("id").asText()),
                    new Html("<td><code>" + Html.text(item.path("source").asText()) + "</code></td>"),
                    Html.element("td", item.path("subject").asText()),
                    Html.element("td", item.path("status").asText()),
                    Html.element("td", item.path("summary").asText()))).append('\n');
        }
        return new Html("<table id=\"evidence-table\"><thead><tr><th>Id</th><th>Source</th><th>Subject</th>"
                + "<th>Status</th><th>Summary</th></tr></thead><tbody>" + rows + "</tbody></table>");
    }

    /**
     * How each probe region saw the target, when the evidence holds the regional split (several probe regions):
     * one row per region, one cell per layer, each cell's state in words and as a class. Nothing for one region,
     * and nothing when the stored item cannot be read as a split: the page never fails on it.
     */
    private static Html regions(JsonNode items) {
        if (items == null || !items.isArray()) {
            return Html.EMPTY;
        }
        for (JsonNode item : items) {
            if (RegionalSplit.SOURCE.equals(item.path("source").asText()) && "OK".equals(item.path("status").asText())) {
                return split(item.path("data")).map(s -> regionsTable(item.path("id").asText(), s)).orElse(Html.EMPTY);
            }
        }
        return Html.EMPTY;
    }

    private static Optional<RegionalSplit> split(JsonNode data) {
        try {
            return RegionalSplit.fromData(data);
        } catch (RuntimeException e) {
            // fromData refuses what it knows to be malformed; anything else stored there is not worth a failed page.
            return Optional.empty();
        }
    }

    private static Html regionsTable(String evidenceId, RegionalSplit split) {
        StringBuilder head = new StringBuilder("<tr><th scope=\"col\">Region</th>");
        for (Layer layer : Layer.values()) {
            head.append("<th scope=\"col\">").append(Html.text(layer.name())).append("</th>");
        }
        head.append("<th scope=\"col\">Latency · observed</th></tr>");
        StringBuilder rows = new StringBuilder();
        for (RegionalSplit.RegionResult r : split.regions()) {
            rows.append("<tr><th scope=\"row\">").append(Html.text(r.region())).append("</th>");
            for (Layer layer : Layer.values()) {
                rows.append("<td class=\"state-").append(state(r, layer)).append("\">").append(Html.text(r.at(layer)))
                        .append("</td>");
            }
            rows.append(Html.element("td", observed(r))).append("</tr>\n");
        }
        String caption = split.failing().size() + " of " + split.regions().size() + " regions see it failing; "
                + split.required() + " needed for an alert. Cites evidence item " + evidenceId + ".";
        return new Html("<section id=\"regions\">" + Html.element("h2", "Seen from each probe region").markup()
                + "<table id=\"regions-table\" class=\"regions\">" + Html.element("caption", caption).markup()
                + "<thead>" + head + "</thead><tbody>" + rows + "</tbody></table></section>");
    }

    /** The class of a cell, matching its words ({@link RegionalSplit.RegionResult#at}); a constant of ours. */
    private static String state(RegionalSplit.RegionResult r, Layer at) {
        return switch (r.seen()) {
            case SILENT -> "no-result";
            case HEALTHY -> "ok";
            case FAILING -> at.ordinal() < r.layer().ordinal() ? "ok" : at == r.layer() ? "failing" : "not-reached";
        };
    }

    private static String observed(RegionalSplit.RegionResult r) {
        if (r.latencyMs() == null && r.observedAt() == null) {
            return "—";
        }
        return (r.latencyMs() == null ? "" : r.latencyMs() + " ms") + (r.latencyMs() != null && r.observedAt() != null
                ? " · " : "") + time(r.observedAt());
    }

    private static Html history(List<AuditEvent> audit) {
        if (audit.isEmpty()) {
            return Html.element("p", "No events yet.");
        }
        StringBuilder rows = new StringBuilder();
        for (AuditEvent e : audit) {
            rows.append(Html.element("tr", Html.element("td", time(e.at())), Html.element("td", e.action().name()),
                    Html.element("td", e.actor() + (e.verified() ? "" : " (unverified)")), Html.element("td", e.result()),
                    Html.element("td", e.detail() == null ? "" : e.detail()))).append('\n');
        }
        return new Html("<table id=\"history-table\"><thead><tr><th>When</th><th>What</th><th>Who</th><th>Result</th>"
                + "<th>Detail</th></tr></thead><tbody>" + rows + "</tbody></table>");
    }

    private static Html queueTable(List<QueueRow> rows) {
        StringBuilder b = new StringBuilder();
        for (QueueRow r : rows) {
            Alert a = r.alert();
            b.append(Html.element("tr", new Html("<td><a href=\"" + Html.text(r.href()) + "\">"
                            + Html.text(a.domain()) + "</a></td>"), Html.element("td", a.issueType().name()),
                    new Html("<td>" + severityBadge(a) + "</td>"), Html.element("td", a.state().name()), Html.element("td", time(a.timestamp())),
                    Html.element("td", a.approvedBy() == null ? "" : a.approvedBy()))).append('\n');
        }
        return new Html("<table class=\"queue\"><thead><tr><th>Domain</th><th>Issue</th><th>Severity</th><th>State</th>"
                + "<th>Detected</th><th>Decided by</th></tr></thead><tbody>" + b + "</tbody></table>");
    }

    private static Html runbookTable(List<RunbookRow> rows) {
        StringBuilder b = new StringBuilder();
        for (RunbookRow row : rows) {
            Runbook r = row.runbook();
            Html forms = row.csrf().map(csrf -> runbookForms(r, csrf)).orElse(Html.EMPTY);
            String lastFailure = r.lastFailureAt() == null ? "" : time(r.lastFailureAt()) + ": " + r.lastFailure();
            b.append(Html.element("tr", Html.element("td", r.id()), Html.element("td", r.template().issueType().name()),
                    Html.element("td", r.status().name() + (r.promotedBy() == null ? ""
                            : " (promoted by " + r.promotedBy() + ", " + time(r.promotedAt()) + ")")),
                    new Html("<td><a href=\"" + Html.text(row.taughtByHref()) + "\">" + Html.text(r.taughtBy())
                            + "</a></td>"),
                    Html.element("td", time(r.learnedAt())),
                    Html.element("td", Integer.toString(r.verifiedSuccesses())),
                    Html.element("td", Integer.toString(r.uses())), Html.element("td", lastFailure),
                    Html.element("td", autoApproval(r)),
                    Html.element("td", new Html("<details><summary>Plan template</summary><pre>"
                            + Html.text(r.planTemplate()) + "</pre></details>"), forms))).append('\n');
        }
        return new Html("<table class=\"queue runbooks\"><thead><tr><th>Runbook</th><th>Issue</th><th>Status</th>"
                + "<th>Taught by</th><th>Learned</th><th>Verified successes</th><th>Uses</th><th>Last failure</th>"
                + "<th>Auto-approval</th><th>Plan</th></tr></thead><tbody>" + b + "</tbody></table>");
    }

    /** What a runbook's auto-approval option says about it, in words. */
    private static String autoApproval(Runbook r) {
        Optional<String> irreversible = r.irreversibleStep();
        if (irreversible.isPresent()) {
            return "never: step " + irreversible.get() + " cannot be undone";
        }
        if (r.autoApproveAfter() == 0) {
            return "off";
        }
        return "low alerts from " + r.autoApproveAfter() + " verified successes"
                + (r.status() == Runbook.Status.ACTIVE ? "" : ", once active")
                + (r.autoApprovalBy() == null ? "" : " (set by " + r.autoApprovalBy() + ")");
    }

    /** A runbook's forms, conditional on the version shown: promote (a candidate), and set its auto-approval. */
    private static Html runbookForms(Runbook r, String csrf) {
        String hidden = "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(csrf) + "\"><input type=\"hidden\""
                + " name=\"version\" value=\"" + r.version() + "\">";
        StringBuilder b = new StringBuilder();
        if (r.status() == Runbook.Status.CANDIDATE) {
            b.append("<form method=\"post\" action=\"").append(Html.text("runbooks/" + r.id() + "/promote"))
                    .append("\">").append(hidden).append("<button type=\"submit\">Promote to active</button></form>");
        }
        if (r.irreversibleStep().isEmpty()) {
            b.append("<form method=\"post\" action=\"").append(Html.text("runbooks/" + r.id() + "/auto-approval"))
                    .append("\">").append(hidden).append("<label>Approve low alerts by itself from <input type=\"number\""
                            + " name=\"after\" min=\"0\" max=\"").append(AUTO_APPROVAL_MAX).append("\" value=\"")
                    .append(r.autoApproveAfter()).append("\" required> verified successes (0: never)</label>"
                            + "<button type=\"submit\">Set</button></form>");
        }
        return new Html(b.toString());
    }

    private static Html note(String text, String tone) {
        return new Html("<p class=\"note " + tone + "\">" + Html.text(text) + "</p>");
    }

    /** A moment as every page shows it: to the second, in UTC; empty for none. */
    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    private static String sha256(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
