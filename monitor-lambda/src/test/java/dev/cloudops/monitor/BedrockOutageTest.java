package dev.cloudops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.cloudops.agent.bedrock.AgentTools;
import dev.cloudops.agent.bedrock.BedrockRemediationAgent;
import dev.cloudops.agent.rules.RuleBasedRemediationAgent;
import dev.cloudops.alert.Alert;
import dev.cloudops.alert.AlertRepository;
import dev.cloudops.alert.AlertState;
import dev.cloudops.alert.Analyzer;
import dev.cloudops.alert.Severity;
import dev.cloudops.alert.Transition;
import dev.cloudops.alert.TransitionResult;
import dev.cloudops.alert.UlidGenerator;
import dev.cloudops.artifact.Artifact;
import dev.cloudops.artifact.ArtifactStore;
import dev.cloudops.evidence.EvidencePack;
import dev.cloudops.metrics.MetricName;
import dev.cloudops.monitor.dedupe.OpenAlertClaims;
import dev.cloudops.monitor.investigate.AlertInvestigator;
import dev.cloudops.monitor.investigate.CostModel;
import dev.cloudops.monitor.target.ProbeStateStore;
import dev.cloudops.monitor.target.TargetSource;
import dev.cloudops.monitor.trigger.Trigger;
import dev.cloudops.notify.Delivery;
import dev.cloudops.notify.Notification;
import dev.cloudops.notify.NotificationDispatcher;
import dev.cloudops.notify.Notifier;
import dev.cloudops.probe.Classification;
import dev.cloudops.probe.Layer;
import dev.cloudops.probe.ProbeOutcome;
import dev.cloudops.probe.ProbeRun;
import dev.cloudops.probe.ProbeResult;
import dev.cloudops.probe.ProbeRunner;
import dev.cloudops.review.ReviewLinks;
import dev.cloudops.review.ReviewToken;
import dev.cloudops.testing.EvidenceFixtures;
import dev.cloudops.testing.RecordingMetrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentRequest;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.ThrottlingException;

/**
 * What the monitor does when Bedrock is throttled, down or slower than its time budget while an alert is raised:
 * the rule engine analyses the alert instead, the alert records which analyser answered and why, and the alert is
 * still announced on the notification channels, with the rule engine's analysis and plan. Everything from the
 * manual request to the notification is the production code (monitor, investigator, the Bedrock agent, the rule
 * engine, notifications); the Bedrock client is a Mockito mock because its failure is the subject: an InvokeAgent
 * call that fails or never answers. The stores, the probe and the channel are stubs that accept what they are given,
 * so the analysed alert and the notification can be read back. The same failure at the HTTP level is
 * {@code BedrockRemediationAgentIT}'s.
 */
@ExtendWith(MockitoExtension.class)
class BedrockOutageTest {

    private static final Instant NOW = Instant.parse("2026-11-27T02:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final URI SITE = URI.create("https://shop.example.com/");
    private static final Duration AGENT_BUDGET = Duration.ofMillis(300);

    @Mock
    private BedrockAgentRuntimeAsyncClient bedrock;
    @Mock
    private AgentTools tools;
    @Mock
    private ProbeRunner runner;
    @Mock
    private ProbeStateStore states;
    @Mock
    private OpenAlertClaims claims;
    @Mock
    private AlertRepository alerts;
    @Mock
    private ArtifactStore artifacts;
    @Mock
    private Notifier teams;

    private final RecordingMetrics metrics = new RecordingMetrics();

    @BeforeEach
    void aSiteAnswering403_andStoresThatTakeEverything() {
        when(runner.run(anyList(), any())).thenReturn(new ProbeRun(List.of(new ProbeOutcome.Finished(new ProbeResult(SITE,
                Classification.HTTP_ERROR, Layer.HTTP, "HTTP: https://shop.example.com/ answered 403", NOW,
                Duration.ofMillis(80), List.of(), null, null))), ProbeRun.Load.NONE));
        when(states.save(any())).thenReturn(true);
        when(claims.claim(anyString(), anyString(), isNull(), any())).thenReturn(true);
        when(alerts.create(any())).thenAnswer(call -> call.getArgument(0));
        when(alerts.apply(any()))
                .thenAnswer(call -> new TransitionResult.Applied(call.<Transition>getArgument(0).after()));
        when(alerts.appendEvent(anyString(), any())).thenReturn(true);
        when(artifacts.put(any())).thenAnswer(call -> call.<Artifact>getArgument(0).key());
        when(artifacts.location(anyString())).thenAnswer(call -> URI.create("s3://artifacts/" + call.getArgument(0)));
        when(teams.send(any())).thenReturn(new Delivery.Delivered("teams", 1));
    }

    @Test
    void aThrottledAgent_leavesTheAnalysisToTheRuleEngine_andTheAlertIsStillAnnounced() {
        when(bedrock.invokeAgent(any(InvokeAgentRequest.class), any(InvokeAgentResponseHandler.class)))
                .thenReturn(CompletableFuture.failedFuture(ThrottlingException.builder()
                        .message("Rate exceeded").statusCode(429).build()));

        Raised raised = raise();

        assertAnalysedByRulesAndAnnounced(raised, "the agent failed: InvokeAgent failed: Rate exceeded");
    }

    @Test
    void anAgentThatIsDown_leavesTheAnalysisToTheRuleEngine_andTheAlertIsStillAnnounced() {
        when(bedrock.invokeAgent(any(InvokeAgentRequest.class), any(InvokeAgentResponseHandler.class)))
                .thenReturn(CompletableFuture.failedFuture(SdkClientException.create("Unable to execute HTTP request: "
                        + "Connect to bedrock-agent-runtime.eu-west-1.amazonaws.com:443 failed: Connection refused")));

        Raised raised = raise();

        assertAnalysedByRulesAndAnnounced(raised, "the agent failed: InvokeAgent failed: Unable to execute HTTP "
                + "request: Connect to bedrock-agent-runtime.eu-west-1.amazonaws.com:443 failed: Connection refused");
    }

    @Test
    void anAgentSlowerThanItsBudget_isAbandoned_andTheRuleEngineAnswersInItsPlace() {
        CompletableFuture<Void> unanswered = new CompletableFuture<>();
        when(bedrock.invokeAgent(any(InvokeAgentRequest.class), any(InvokeAgentResponseHandler.class)))
                .thenReturn(unanswered);

        Raised raised = raise();

        assertThat(unanswered).as("the call is given up, not left running").isCancelled();
        assertAnalysedByRulesAndAnnounced(raised, "the agent failed: the agent did not finish within "
                + AGENT_BUDGET.toSeconds() + " s");
    }

    /** The alert as analysed and stored, and what the channel was sent. */
    private record Raised(RunReport.TargetReport report, Alert analysed, List<Notification> sent) {
    }

    /** A manual request for the site, through the monitor wired as in production apart from the mocks. */
    private Raised raise() {
        EvidencePack pack = new EvidenceFixtures().zone().aliasRecord(EvidenceFixtures.DOMAIN)
                .distribution(false, "Deployed", EvidenceFixtures.DOMAIN, "shop-site.s3.eu-west-1.amazonaws.com",
                        "E3OAC")
                .pack();
        AlertInvestigator investigator = new AlertInvestigator((alertId, host) -> pack,
                Optional.of(new BedrockRemediationAgent(bedrock, "AGENT1", "ALIAS1", tools, 3, AGENT_BUDGET, CLOCK)),
                new RuleBasedRemediationAgent(), artifacts, alerts, CLOCK, metrics, CostModel.defaults());
        ReviewToken tokens = new ReviewToken("a-signing-key-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8),
                CLOCK);
        MonitorEvents events = new NotifyingMonitorEvents(new NotificationDispatcher(List.of(teams), alerts, CLOCK),
                new ReviewLinks(URI.create("https://review.example.com"), tokens, Duration.ofHours(24)), artifacts,
                new LoggingMonitorEvents());
        DomainMonitor monitor = new DomainMonitor(TargetSource.inline("targets:\n  - url: " + SITE + "\n"), runner,
                new DomainMonitor.Stores(states, claims, alerts),
                new DomainMonitor.Alerting(investigator, events, new UlidGenerator(CLOCK, new SecureRandom()), metrics),
                new DomainMonitor.Policy(Severity.HIGH, Duration.ofSeconds(30), Duration.ofHours(24)), CLOCK);

        RunReport report = monitor.handle(new Trigger.Manual(SITE, "customers see 403", "lee"), NOW.plusSeconds(60));

        ArgumentCaptor<Transition> stored = ArgumentCaptor.forClass(Transition.class);
        verify(alerts, atLeastOnce()).apply(stored.capture());
        ArgumentCaptor<Notification> sent = ArgumentCaptor.forClass(Notification.class);
        verify(teams, atLeastOnce()).send(sent.capture());
        return new Raised(report.targets().getFirst(), stored.getValue().after(), sent.getAllValues());
    }

    private void assertAnalysedByRulesAndAnnounced(Raised raised, String why) {
        assertThat(raised.report().action()).isEqualTo(RunReport.Action.RAISED);
        assertThat(raised.analysed().state()).isEqualTo(AlertState.PENDING_APPROVAL);
        assertThat(raised.analysed().analyzer()).isEqualTo(Analyzer.RULES);
        assertThat(raised.analysed().plan()).contains("\"cloudfront.set_enabled\"");
        assertThat(raised.analysed().audit().getLast().detail()).endsWith("rules used because " + why);
        assertThat(raised.sent()).singleElement().isInstanceOfSatisfying(Notification.AlertRaised.class, n -> {
            assertThat(n.alert().alertId()).isEqualTo(raised.analysed().alertId());
            assertThat(n.analyzer()).isEqualTo(Analyzer.RULES);
            assertThat(n.followUp()).as("announced once, with its analysis").isFalse();
            assertThat(n.summary()).startsWith("The CloudFront distribution is disabled.");
            assertThat(n.plan().executable()).isTrue();
            assertThat(n.plan().steps()).singleElement().asString().startsWith("cloudfront.set_enabled");
        });
        assertThat(metrics.values(MetricName.AGENT_ERROR_RATE)).containsExactly(1.0);
        verifyNoInteractions(tools);
    }
}
