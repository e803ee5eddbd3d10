package dev.cloudops.approval;

import dev.cloudops.alert.AlertRepository;
import dev.cloudops.approval.auth.Authenticator;
import dev.cloudops.approval.auth.CrossSiteRequests;
import dev.cloudops.approval.auth.CsrfTokens;
import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.approval.http.MalformedRequestException;
import dev.cloudops.approval.page.Pages;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.audit.AuditTrail;
import dev.cloudops.runbook.RunbookStore;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The review portal (DESIGN.md section 7), independent of what carries the HTTP: it matches a request's path and
 * method to one of its routes, the review page and the report and log links (GET, never a state change, see
 * {@link ReviewPageRoute} and {@link ArtifactLinkRoutes}), the decision (POST, see {@link DecisionRoute}) and the
 * queue for signed-in people ({@link QueueRoute}), and the learned runbooks with their promotion and auto-approval ({@link RunbookRoutes}).
 * Every request ends in a defined page or JSON answer with a
 * matching status; nothing a request contains leads to a 5xx.
 */
public final class ReviewPortal {

    private static final Pattern QUEUE = Pattern.compile("/alerts/?");
    private static final Pattern ALERT = Pattern.compile("/alerts/([^/]+)");
    private static final Pattern DECISION = Pattern.compile("/alerts/([^/]+)/decision");
    private static final Pattern REPORT = Pattern.compile("/alerts/([^/]+)/report");
    private static final Pattern EXECUTION_LOG = Pattern.compile("/alerts/([^/]+)/log");
    private static final Pattern RUNBOOKS = Pattern.compile("/runbooks/?");
    private static final Pattern PROMOTE = Pattern.compile("/runbooks/([^/]+)/promote");
    private static final Pattern AUTO_APPROVAL = Pattern.compile("/runbooks/([^/]+)/auto-approval");
    private static final Pattern ALERT_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final Pattern RUNBOOK_ID = Pattern.compile("rb-[0-9a-f]{32}");

    private final PortalResponses responses;
    private final ReviewPageRoute reviewPage;
    private final DecisionRoute decision;
    private final ArtifactLinkRoutes links;
    private final QueueRoute queue;
    private final RunbookRoutes runbooks;

    /** A portal whose only address is the host its requests are sent to, without learned runbooks. */
    public ReviewPortal(AlertRepository alerts, ArtifactStore artifacts, DecisionRecorder recorder, Authenticator auth,
            CsrfTokens csrf, Pages pages, Clock clock) {
        this(alerts, artifacts, recorder, auth, csrf, pages, Set.of(), Optional.empty(), AuditTrail.NONE, clock);
    }

    /**
     * {@code ownAddresses}: where people reach the portal besides the host requests are sent to (the review links'
     * base address, e.g. a custom domain in front of the API); decisions and promotions from pages anywhere else are
     * refused. {@code runbooks}: the learned runbooks, where there is a store (without one, /runbooks answers 404);
     * {@code audit}: the audit trail that records runbook promotions and refused ones (decisions reach it through the
     * alert store).
     */
    public ReviewPortal(AlertRepository alerts, ArtifactStore artifacts, DecisionRecorder recorder, Authenticator auth,
            CsrfTokens csrf, Pages pages, Set<URI> ownAddresses, Optional<RunbookStore> runbooks, AuditTrail audit,
            Clock clock) {
        this.responses = new PortalResponses(pages);
        CrossSiteRequests crossSite = new CrossSiteRequests(ownAddresses);
        this.reviewPage = new ReviewPageRoute(alerts, artifacts, recorder, auth, csrf, responses, clock);
        this.decision = new DecisionRoute(recorder, auth, csrf, crossSite, responses);
        this.runbooks = new RunbookRoutes(runbooks, recorder.policy(), auth, csrf, crossSite, audit, responses, clock);
        this.links = new ArtifactLinkRoutes(alerts, artifacts, auth, responses);
        this.queue = new QueueRoute(alerts, auth, responses);
    }

    /** Answers one request. */
    public HttpResponse handle(HttpRequest request) {
        try {
            return route(request);
        } catch (MalformedRequestException e) {
            return responses.refuse(request, 400, "Bad request", e.getMessage());
        }
    }

    private HttpResponse route(HttpRequest request) {
        String path = request.path();
        Matcher m;
        if (QUEUE.matcher(path).matches()) {
            return only(request, "GET", () -> queue.queue(request));
        }
        if ((m = ALERT.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "GET", () -> reviewPage.review(request, id));
        }
        if ((m = DECISION.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "POST", () -> decision.decide(request, id));
        }
        if (RUNBOOKS.matcher(path).matches()) {
            return only(request, "GET", () -> runbooks.list(request));
        }
        if ((m = PROMOTE.matcher(path)).matches()) {
            String id = runbookId(m.group(1));
            return only(request, "POST", () -> runbooks.promote(request, id));
        }
        if ((m = AUTO_APPROVAL.matcher(path)).matches()) {
            String id = runbookId(m.group(1));
            return only(request, "POST", () -> runbooks.autoApproval(request, id));
        }
        if ((m = REPORT.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "GET", () -> links.report(request, id));
        }
        if ((m = EXECUTION_LOG.matcher(path)).matches()) {
            String id = alertId(m.group(1));
            return only(request, "GET", () -> links.executionLog(request, id));
        }
        return responses.refuse(request, 404, "Not found", "there is no page at " + path);
    }

    private HttpResponse only(HttpRequest request, String method, Supplier<HttpResponse> action) {
        if (!request.method().equals(method)) {
            return responses.refuse(request, 405, "Method not allowed",
                    request.method() + " is not allowed here; use " + method).with("Allow", method);
        }
        return action.get();
    }

    private static String alertId(String raw) {
        if (!ALERT_ID.matcher(raw).matches()) {
            throw new MalformedRequestException("an alert id is 1-64 letters, digits, '-' or '_'");
        }
        return raw;
    }

    private static String runbookId(String raw) {
        if (!RUNBOOK_ID.matcher(raw).matches()) {
            throw new MalformedRequestException("a runbook id is 'rb-' and 32 lower-case hex digits");
        }
        return raw;
    }
}
