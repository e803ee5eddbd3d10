package dev.cloudops.approval;

import dev.cloudops.CloudopsException;
import dev.cloudops.alert.ApprovalRules;
import dev.cloudops.approval.auth.AuthMode;
import dev.cloudops.config.AwsSettings;
import dev.cloudops.config.ConfigReader;
import dev.cloudops.config.NotificationSettings;
import dev.cloudops.config.StorageSettings;
import dev.cloudops.config.TelemetrySettings;
import dev.cloudops.orchestration.Orchestration;
import dev.cloudops.plan.SessionScope;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The approval function's configuration, parsed once from its environment: the stores, how an approved alert
 * goes on ({@code ORCHESTRATION}: {@code direct}, published to the execute topic {@code EXECUTE_TOPIC_ARN};
 * {@code stepfunctions}, answered to the alert workflow {@code ALERT_WORKFLOW_ARN}), how people sign in ({@code AUTH_MODE}: {@code link} or
 * {@code cognito}), the review-link key ({@code REVIEW_SIGNING_SECRET_ARN}), the decision window, the
 * role table ({@code APPROVAL_ROLES}, e.g. {@code critical=admin,ops-lead;low=*}), the severities a
 * link holder may decide ({@code LINK_MODE_SEVERITIES}, e.g. {@code low,medium} or {@code none}), and
 * where decision notifications go, the metrics namespace and the audit log group, and the executor role whose
 * plan-scoped session an approval grants ({@code EXECUTOR_ROLE_ARN}: the review page shows the session policy and
 * an approval records its hash; unset, no grants are shown), and the Control table that keeps the learned runbooks
 * ({@code CONTROL_TABLE}: the portal lists them and promotes candidates; unset, it has no runbook pages).
 */
public record ApprovalConfig(
        AwsSettings aws,
        StorageSettings storage,
        Orchestration orchestration,
        String executeTopicArn,
        String alertWorkflowArn,
        AuthMode authMode,
        String signingKeySecretArn,
        Duration decisionWindow,
        Duration csrfValidity,
        ApprovalPolicy policy,
        NotificationSettings notifications,
        TelemetrySettings telemetry,
        Optional<SessionScope> executor,
        Optional<String> controlTable) {

    private static final Pattern TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern STATE_MACHINE = Pattern.compile(
            "arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}");

    public static ApprovalConfig from(Map<String, String> env) {
        ConfigReader reader = new ConfigReader(env);
        AwsSettings aws = AwsSettings.read(reader);
        StorageSettings storage = StorageSettings.read(reader);
        Orchestration orchestration = Orchestration.DIRECT;
        try {
            orchestration = Orchestration.parse(reader.optional("ORCHESTRATION").orElse(null));
        } catch (CloudopsException e) {
            reader.problem(e.getMessage());
        }
        String topic = null;
        String workflow = null;
        if (orchestration == Orchestration.STEPFUNCTIONS) {
            // The alert workflow takes the decisions; the execute topic, when set, still starts the execution of an
            // alert that has no workflow (one raised before the switch to Step Functions).
            if (reader.optional("EXECUTE_TOPIC_ARN").isPresent()) {
                topic = reader.required("EXECUTE_TOPIC_ARN", TOPIC, "the ARN of the execute SNS topic");
            }
            if (reader.optional("ALERT_WORKFLOW_ARN").isEmpty()) {
                reader.problem("ALERT_WORKFLOW_ARN is required with ORCHESTRATION=stepfunctions: the ARN of the alert "
                        + "workflow state machine whose approval step the decisions answer");
            } else {
                workflow = reader.required("ALERT_WORKFLOW_ARN", STATE_MACHINE, "the ARN of a Step Functions state "
                        + "machine (arn:aws:states:<region>:<account>:stateMachine:<name>)");
            }
        } else {
            topic = reader.required("EXECUTE_TOPIC_ARN", TOPIC, "the ARN of the execute SNS topic");
            // The template sets it empty in direct mode; a workflow named there is not used.
            reader.optional("ALERT_WORKFLOW_ARN");
        }
        AuthMode mode = AuthMode.LINK;
        Optional<String> modeText = reader.optional("AUTH_MODE");
        if (modeText.isPresent()) {
            try {
                mode = AuthMode.valueOf(modeText.get().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                reader.problem("AUTH_MODE must be 'link' or 'cognito', was '" + modeText.get() + "'");
            }
        }
        Duration window = reader.duration("DECISION_WINDOW", Duration.ofHours(24), Duration.ofMinutes(5),
                Duration.ofDays(6));
        Duration csrf = reader.duration("CSRF_TOKEN_TTL", Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofDays(1));
        ApprovalRules rules = ApprovalRules.read(reader);
        NotificationSettings notifications = NotificationSettings.read(reader);
        if (notifications.signingKeySecretArn().isEmpty() && env.get("REVIEW_SIGNING_SECRET_ARN") == null) {
            reader.problem("REVIEW_SIGNING_SECRET_ARN is required: review links and form tokens are signed with it");
        }
        TelemetrySettings telemetry = TelemetrySettings.read(reader);
        Optional<SessionScope> executor = SessionScope.read(reader);
        // required() notes a malformed name and gives null; reader.check() then refuses the whole configuration.
        Optional<String> control = reader.optional("CONTROL_TABLE").isEmpty() ? Optional.empty()
                : Optional.ofNullable(reader.required("CONTROL_TABLE", TABLE,
                        "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)"));
        reader.check();
        return new ApprovalConfig(aws, storage, orchestration, topic, workflow, mode, notifications.signingKeySecretArn().orElseThrow(), window,
                csrf, new ApprovalPolicy(rules), notifications, telemetry, executor, control);
    }
}
