package dev.cloudops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cloudops.notify.email.EmailMessage;
import dev.cloudops.notify.slack.SlackMessage;
import dev.cloudops.notify.teams.TeamsCard;
import dev.cloudops.testing.SharedSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every notification kind on every channel: Teams cards valid against the published schema, Slack within its limits. */
class FormattersTest {

    private static JsonSchema adaptiveCard;

    @BeforeAll
    static void schema() throws IOException {
        try (InputStream in = Files.newInputStream(SharedSchemas.file("adaptive-card-1.5.schema.json"))) {
            ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(in);
            // The published file names itself with draft-04's "id"; draft-06 calls it "$id".
            schema.set("$id", schema.remove("id"));
            adaptiveCard = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V6).getSchema(schema);
        }
    }

    @Test
    void teams_everyCardValidatesAgainstTheAdaptiveCardSchema() {
        for (Notification n : NotificationFixtures.everyKind()) {
            ObjectNode envelope = TeamsCard.from(n);

            Set<ValidationMessage> errors = adaptiveCard.validate(envelope.at("/attachments/0/content"));

            assertThat(errors).as(n.getClass().getSimpleName()).isEmpty();
            assertThat(envelope.get("type").asText()).isEqualTo("message");
            assertThat(envelope.at("/attachments/0/contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        }
    }

    @Test
    void teams_theSchemaCheckRejectsABrokenCard() {
        ObjectNode card = TeamsCard.card(NotificationFixtures.raised("x"));
        ((ObjectNode) card.at("/body/0")).put("type", "Marquee");
        ((ObjectNode) card.at("/actions/0")).put("type", "Action.Submit").remove("url");
        card.put("version", 15);

        assertThat(adaptiveCard.validate(card)).isNotEmpty();
    }

    @Test
    void teams_anAlertCardShowsFactsColourAndButtonsThatOnlyOpenPages() {
        ObjectNode card = TeamsCard.card(NotificationFixtures.raised("Distribution disabled."));

        assertThat(card.get("version").asText()).isEqualTo("1.5");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(card.at("/body/0/text").asText()).isEqualTo("CRITICAL: HTTP_ERROR on shop.example.com");
        assertThat(card.at("/body/1/facts").findValuesAsText("title")).contains("Severity", "Domain", "Issue");
        assertThat(card.get("actions").findValuesAsText("type")).containsOnly("Action.OpenUrl");
        assertThat(card.get("actions").findValuesAsText("title")).containsExactly("Review and decide", "Full analysis");
        assertThat(card.get("actions").findValuesAsText("url")).containsExactly(NotificationFixtures.REVIEW.toString(),
                NotificationFixtures.REPORT.toString());
    }

    @Test
    void slack_staysWithinSlacksLimits_evenForA40KbReport() {
        String huge = "The origin answered 503 because ".repeat(1_300); // about 40 KB
        List<Notification> all = new ArrayList<>(NotificationFixtures.everyKind());
        all.add(NotificationFixtures.raised(huge));

        for (Notification n : all) {
            JsonNode message = SlackMessage.from(n);

            assertThat(message.get("blocks").size()).isLessThanOrEqualTo(SlackMessage.MAX_BLOCKS);
            assertThat(message.at("/blocks/0/type").asText()).isEqualTo("header");
            assertThat(message.at("/blocks/0/text/text").asText().length()).isLessThanOrEqualTo(SlackMessage.MAX_HEADER);
            for (JsonNode textObject : message.findParents("type")) {
                if (textObject.has("text") && textObject.get("text").isTextual()) {
                    assertThat(textObject.get("text").asText().length()).isLessThanOrEqualTo(SlackMessage.MAX_TEXT);
                }
            }
        }
        JsonNode longOne = SlackMessage.from(NotificationFixtures.raised(huge));
        assertThat(longOne.toString().length()).isLessThan(20_000);
        assertThat(longOne.findValuesAsText("url")).contains(NotificationFixtures.REVIEW.toString());
    }

    @Test
    void slack_escapesSlacksControlCharacters() {
        JsonNode message = SlackMessage.from(NotificationFixtures.raised("<!channel> & <https://evil.example|click>"));

        assertThat(message.toString()).contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;")
                .doesNotContain("<!channel>");
    }

    /** What people may type or sites may answer, meant to be read as markup, links, or in another direction. */
    private static final String HOSTILE = "[click](https://evil.example) **x** <https://evil|x> _y_ <!here>";
    private static final String BIDI = "\u202Eexe.gnp\u202C \u2066isolated\u2069 \u200Emark\u200F zero\u200Bwidth\u0007";
    private static final String BIDI_SHOWN = "exe.gnp isolated mark zerowidth";

    private static Notification hostileDecision() {
        return new Notification.DecisionRecorded(NotificationFixtures.REF, "rejected", "**Eve** " + BIDI, false,
                HOSTILE + "\n" + BIDI, NotificationFixtures.REVIEW);
    }

    @Test
    void teams_showsOutsideTextOnlyInTextRuns_whichAreNeverMarkdown_withoutInvisibleCharacters() {
        List<Notification> hostile = List.of(hostileDecision(), NotificationFixtures.raised(HOSTILE + " " + BIDI),
                new Notification.AlertRecovered(NotificationFixtures.REF, "Server: **nginx** [x](https://evil.example)"));

        for (Notification n : hostile) {
            ObjectNode card = TeamsCard.card(n);

            assertThat(adaptiveCard.validate(card)).as(n.getClass().getSimpleName()).isEmpty();
            List<String> markdownRead = new ArrayList<>(card.findParents("type").stream()
                    .filter(o -> o.path("type").asText().equals("TextBlock")).map(o -> o.path("text").asText()).toList());
            card.findValues("facts").forEach(f -> f.forEach(fact -> markdownRead.add(fact.path("value").asText())));
            assertThat(markdownRead).as("TextBlocks and facts, which Teams reads as markdown")
                    .noneMatch(t -> t.contains("evil") || t.contains("**") || t.contains("Eve"));
            assertThat(card.toString()).doesNotContain("\u202E", "\u2066", "\u200B", "\u200E", "\\u0007");
        }
        List<String> runs = TeamsCard.card(hostileDecision()).findParents("type").stream()
                .filter(o -> o.path("type").asText().equals("TextRun")).map(o -> o.path("text").asText()).toList();
        assertThat(runs).containsExactly("By **Eve** " + BIDI_SHOWN + " (not verified)", HOSTILE + "\n" + BIDI_SHOWN);
    }

    @Test
    void slack_showsOutsideTextOnlyAsPlainText_escaped_andWithoutInvisibleCharacters() {
        List<Notification> hostile = List.of(hostileDecision(), NotificationFixtures.raised(HOSTILE + " " + BIDI),
                new Notification.AlertRecovered(NotificationFixtures.REF, "Server: **nginx** <https://evil|x>"));

        for (Notification n : hostile) {
            JsonNode message = SlackMessage.from(n);

            assertThat(message.findParents("type").stream().filter(o -> o.path("type").asText().equals("mrkdwn"))
                    .map(o -> o.path("text").asText()))
                    .as("mrkdwn objects carry our own words only")
                    .noneMatch(t -> t.contains("evil") || t.contains("**") || t.contains("Eve"));
            assertThat(message.toString()).doesNotContain("<https://evil|x>", "<!here>", "\u202E", "\u2066",
                    "\u200B", "\\u0007");
        }
        JsonNode decision = SlackMessage.from(hostileDecision());
        assertThat(decision.findParents("type").stream().filter(o -> o.path("type").asText().equals("plain_text"))
                .map(o -> o.path("text").asText()))
                .contains("By\n**Eve** " + BIDI_SHOWN + " (not verified)",
                        "[click](https://evil.example) **x** &lt;https://evil|x&gt; _y_ &lt;!here&gt;\n" + BIDI_SHOWN);
        assertThat(decision.findParents("type")).filteredOn(o -> o.path("type").asText().equals("plain_text"))
                .allSatisfy(o -> assertThat(o.path("emoji").asBoolean(true)).isFalse());
    }

    @Test
    void email_showsOutsideTextWithoutInvisibleCharacters_andListsOnlyOurOwnLinks() {
        EmailMessage email = EmailMessage.from(hostileDecision());

        assertThat(email.body()).contains("By: **Eve** " + BIDI_SHOWN + " (not verified)", BIDI_SHOWN)
                .doesNotContain("\u202E", "\u2066", "\u200B", "\u0007");
        assertThat(email.links()).containsExactly(NotificationFixtures.REVIEW.toString());
    }

    @Test
    void email_subjectFitsSns_andBodyHasSummaryAndLinks() {
        for (Notification n : NotificationFixtures.everyKind()) {
            EmailMessage email = EmailMessage.from(n);

            assertThat(email.subject().length()).isLessThanOrEqualTo(EmailMessage.MAX_SUBJECT);
            assertThat(email.subject()).doesNotContain("\n").startsWith("[cloudops] ");
            assertThat(email.body()).contains("Alert: 01JALERT", "Domain: shop.example.com");
        }
        EmailMessage raised = EmailMessage.from(NotificationFixtures.raised("Distribution disabled."));
        assertThat(raised.body()).contains("Review and decide: " + NotificationFixtures.REVIEW,
                "nothing runs until a person approves it", "1. cloudfront.set_enabled");
        Notification.AlertRef longRef = new Notification.AlertRef("01J", "a".repeat(200) + ".example.com",
                NotificationFixtures.REF.issueType(), NotificationFixtures.REF.severity(), null);
        assertThat(EmailMessage.from(new Notification.AlertExpired(longRef, "late")).subject()).hasSize(100).endsWith("...");
    }

    /**
     * SNS refuses subjects with line breaks or control characters (Publish API reference); moto does not check,
     * so the formatter is held to it here: printable ASCII only, whatever the domain holds.
     */
    @Test
    void email_subjectIsPrintableAscii_withoutLineBreaks_whateverTheDomainHolds() {
        Notification.AlertRef ref = new Notification.AlertRef("01J", "b\u00fccher.example\r\nBcc: x\u0007\u202E",
                NotificationFixtures.REF.issueType(), NotificationFixtures.REF.severity(), null);

        String subject = EmailMessage.from(new Notification.AlertExpired(ref, "late")).subject();

        assertThat(subject).matches("[\\x20-\\x7E]+")
                .isEqualTo("[cloudops] Expired: HTTP_ERROR on b?cher.example Bcc: x");
    }

    @Test
    void aFollowUp_isTitledAsTheAnalysisArriving() {
        assertThat(Notification.title(NotificationFixtures.everyKind().get(2)))
                .isEqualTo("Analysis ready: CRITICAL: HTTP_ERROR on shop.example.com");
    }

    @Test
    void everyChannel_carriesTheSameTitle() {
        Notification n = NotificationFixtures.everyKind().get(5);

        String title = Notification.title(n);

        assertThat(title).isEqualTo("Remediation COMPLETED for HTTP_ERROR on shop.example.com");
        assertThat(TeamsCard.card(n).at("/body/0/text").asText()).isEqualTo(title);
        assertThat(SlackMessage.from(n).get("text").asText()).isEqualTo(title);
        assertThat(EmailMessage.from(n).subject()).isEqualTo("[cloudops] " + title);
    }

    @Test
    void aDeferredExecution_saysWhenItRuns_asPeopleReadTime_onEveryChannel() {
        Notification deferred = NotificationFixtures.everyKind().get(7);

        String teams = TeamsCard.card(deferred).toString();
        String slack = SlackMessage.from(deferred).toString();
        String email = EmailMessage.from(deferred).body();

        assertThat(deferred).isInstanceOf(Notification.ExecutionDeferred.class);
        assertThat(teams).contains("\"Runs at\"", "2026-11-28 06:00 UTC");
        assertThat(slack).contains("Runs at", "2026-11-28 06:00 UTC");
        assertThat(email).contains("Runs at: 2026-11-28 06:00 UTC");
    }
}
