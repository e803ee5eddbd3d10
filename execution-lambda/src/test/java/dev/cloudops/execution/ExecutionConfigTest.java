package dev.cloudops.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudops.config.ConfigException;
import dev.cloudops.orchestration.Orchestration;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionConfigTest {

    private static final Map<String, String> BASE = Map.of("AWS_REGION", "eu-west-1", "ALERTS_TABLE", "cloudops-alerts",
            "ARTIFACTS_BUCKET", "cloudops-artifacts", "CONTROL_TABLE", "cloudops-control");

    @Test
    void from_hasTheDesignDefaults() {
        ExecutionConfig config = ExecutionConfig.from(BASE);

        assertThat(config.maxPerHour()).isEqualTo(10);
        assertThat(config.maxConcurrent()).isEqualTo(3);
        assertThat(config.approvalWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(config.mode()).isEqualTo(ExecutionConfig.Mode.PLAN);
        assertThat(config.executor()).isEmpty();
    }

    @Test
    void from_namesEveryProblemAtOnce() {
        Map<String, String> env = new HashMap<>(BASE);
        env.remove("CONTROL_TABLE");
        env.put("MAX_EXECUTIONS_PER_HOUR", "0");
        env.put("EXECUTION_WINDOWS", "medium=sometimes");
        env.put("EXECUTION_WINDOW_ZONE", "Mars/Olympus");
        env.put("EXECUTOR_ROLE_ARN", "role/exec");
        env.put("EXECUTION_MODE", "agent");

        assertThatThrownBy(() -> ExecutionConfig.from(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTROL_TABLE")
                .hasMessageContaining("MAX_EXECUTIONS_PER_HOUR")
                .hasMessageContaining("EXECUTION_WINDOWS: 'sometimes' is not 'always'")
                .hasMessageContaining("EXECUTION_WINDOW_ZONE must be a time zone")
                .hasMessageContaining("EXECUTOR_ROLE_ARN must be an IAM role ARN")
                .hasMessageContaining("EXECUTION_MODE=agent needs BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID");
    }

    @Test
    void from_readsTheAuditArchiveBucket_noneByDefault_andRefusesWhatIsNoBucketName() {
        Map<String, String> set = new HashMap<>(BASE);
        set.put("AUDIT_ARCHIVE_BUCKET", "cloudops-dev-auditarchivebucket-1a2b3c4d5e6f");
        Map<String, String> wrong = new HashMap<>(BASE);
        wrong.put("AUDIT_ARCHIVE_BUCKET", "arn:aws:s3:::Audit_Archive");

        assertThat(ExecutionConfig.from(BASE).auditArchiveBucket()).isEmpty();
        assertThat(ExecutionConfig.from(set).auditArchiveBucket()).contains("cloudops-dev-auditarchivebucket-1a2b3c4d5e6f");
        assertThatThrownBy(() -> ExecutionConfig.from(wrong)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUDIT_ARCHIVE_BUCKET must be an S3 bucket name");
    }

    @Test
    void from_readsTheOrchestration_directByDefault() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("ORCHESTRATION", "stepfunctions");

        assertThat(ExecutionConfig.from(BASE).orchestration()).isEqualTo(Orchestration.DIRECT);
        assertThat(ExecutionConfig.from(env).orchestration()).isEqualTo(Orchestration.STEPFUNCTIONS);
    }

    @Test
    void from_refusesAnUnknownOrchestration_andAVerifyDeadlineTheWorkflowCannotKeep() {
        Map<String, String> unknown = new HashMap<>(BASE);
        unknown.put("ORCHESTRATION", "airflow");
        Map<String, String> tooLong = new HashMap<>(BASE);
        tooLong.put("ORCHESTRATION", "stepfunctions");
        tooLong.put("VERIFY_DEADLINE", "PT12M");
        tooLong.put("EXECUTION_TIME_RESERVE", "PT10M");

        assertThatThrownBy(() -> ExecutionConfig.from(unknown)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ORCHESTRATION must be direct or stepfunctions, was \"airflow\"");
        assertThatThrownBy(() -> ExecutionConfig.from(tooLong)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ORCHESTRATION=stepfunctions needs VERIFY_DEADLINE + EXECUTION_TIME_RESERVE "
                        + "(1320 s) below EXECUTION_STUCK_AFTER (1200 s)");
    }
}
