package dev.cloudops.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.alert.Severity;
import dev.cloudops.approval.auth.AuthMode;
import dev.cloudops.config.ConfigException;
import dev.cloudops.orchestration.Orchestration;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalConfigTest {

    private static final Map<String, String> BASE = Map.of(
            "AWS_REGION", "eu-west-1",
            "ALERTS_TABLE", "cloudops-alerts",
            "ARTIFACTS_BUCKET", "cloudops-artifacts",
            "EXECUTE_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-execute",
            "REVIEW_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloudops/key-AbCdEf");

    private static final String WORKFLOW = "arn:aws:states:eu-west-1:123456789012:stateMachine:cloudops-alert-workflow";

    @Test
    void from_usesTheDesignDefaults() {
        ApprovalConfig config = ApprovalConfig.from(BASE);

        assertThat(config.authMode()).isEqualTo(AuthMode.LINK);
        assertThat(config.decisionWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(config.policy()).isEqualTo(ApprovalPolicy.defaults());
        assertThat(config.notifications().anyChannel()).isFalse();
    }

    @Test
    void controlTable_isOptional_andNamesTheRunbookStoreWhenSet() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("CONTROL_TABLE", "cloudops-control");
        Map<String, String> bad = new HashMap<>(BASE);
        bad.put("CONTROL_TABLE", "no spaces allowed");

        assertThat(ApprovalConfig.from(BASE).controlTable()).isEmpty();
        assertThat(ApprovalConfig.from(env).controlTable()).contains("cloudops-control");
        assertThatThrownBy(() -> ApprovalConfig.from(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTROL_TABLE");
    }

    @Test
    void from_readsModeWindowRolesAndLinkModeSeverities() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("AUTH_MODE", "cognito");
        env.put("DECISION_WINDOW", "PT8H");
        env.put("APPROVAL_ROLES", "critical=sre-leads;high=sre-leads,sre;medium=sre,dev;low=*");
        env.put("LINK_MODE_SEVERITIES", "none");

        ApprovalConfig config = ApprovalConfig.from(env);

        assertThat(config.authMode()).isEqualTo(AuthMode.COGNITO);
        assertThat(config.decisionWindow()).isEqualTo(Duration.ofHours(8));
        assertThat(config.policy().roles()).containsEntry(Severity.CRITICAL, Set.of("sre-leads"))
                .containsEntry(Severity.HIGH, Set.of("sre-leads", "sre")).containsEntry(Severity.LOW, Set.of());
        assertThat(config.policy().linkModeSeverities()).isEmpty();
    }

    @Test
    void from_namesEveryProblemAtOnce() {
        Map<String, String> env = new HashMap<>(BASE);
        env.remove("EXECUTE_TOPIC_ARN");
        env.remove("REVIEW_SIGNING_SECRET_ARN");
        env.put("AUTH_MODE", "saml");
        env.put("APPROVAL_ROLES", "critical=admin;urgent=admin;high");
        env.put("LINK_MODE_SEVERITIES", "low,critical");

        assertThatThrownBy(() -> ApprovalConfig.from(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("EXECUTE_TOPIC_ARN")
                .hasMessageContaining("REVIEW_SIGNING_SECRET_ARN is required")
                .hasMessageContaining("AUTH_MODE must be 'link' or 'cognito', was 'saml'")
                .hasMessageContaining("'urgent' is not a severity")
                .hasMessageContaining("'high' is not severity=group,group")
                .hasMessageContaining("medium is missing")
                .hasMessageContaining("LINK_MODE_SEVERITIES may not include critical");
    }

    @Test
    void from_isDirectByDefault_withTheExecuteTopic_andNoWorkflow() {
        ApprovalConfig config = ApprovalConfig.from(BASE);

        assertThat(config.orchestration()).isEqualTo(Orchestration.DIRECT);
        assertThat(config.executeTopicArn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:cloudops-execute");
        assertThat(config.alertWorkflowArn()).isNull();
    }

    @Test
    void from_stepfunctions_readsTheWorkflowArn_andNeedsNoExecuteTopic() {
        Map<String, String> env = new HashMap<>(BASE);
        env.remove("EXECUTE_TOPIC_ARN");
        env.put("ORCHESTRATION", "stepfunctions");
        env.put("ALERT_WORKFLOW_ARN", WORKFLOW);

        ApprovalConfig config = ApprovalConfig.from(env);

        assertThat(config.orchestration()).isEqualTo(Orchestration.STEPFUNCTIONS);
        assertThat(config.alertWorkflowArn()).isEqualTo(WORKFLOW);
        assertThat(config.executeTopicArn()).isNull();
    }

    @Test
    void from_stepfunctions_withoutTheWorkflowArn_namesIt() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("ORCHESTRATION", "stepfunctions");

        assertThatThrownBy(() -> ApprovalConfig.from(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("(1 problem)")
                .hasMessageContaining("ALERT_WORKFLOW_ARN is required with ORCHESTRATION=stepfunctions");
    }

    @Test
    void from_refusesAMalformedWorkflowArn_andAnUnknownOrchestration() {
        Map<String, String> malformed = new HashMap<>(BASE);
        malformed.put("ORCHESTRATION", "stepfunctions");
        malformed.put("ALERT_WORKFLOW_ARN", "arn:aws:sns:eu-west-1:123456789012:cloudops-execute");
        Map<String, String> unknown = new HashMap<>(BASE);
        unknown.put("ORCHESTRATION", "airflow");

        assertThatThrownBy(() -> ApprovalConfig.from(malformed)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ALERT_WORKFLOW_ARN must be the ARN of a Step Functions state machine");
        assertThatThrownBy(() -> ApprovalConfig.from(unknown)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ORCHESTRATION must be direct or stepfunctions, was \"airflow\"");
    }
}
