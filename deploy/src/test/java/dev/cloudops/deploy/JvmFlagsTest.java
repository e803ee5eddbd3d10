package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cloudops.testing.ShippedFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags each function gets from the template (JAVA_TOOL_OPTIONS, Globals merged with its own)
 * are the flags the tests and benchmarks launch its jar with ({@link ShippedFunction#jvmFlags}), so the
 * measured init times and probe throughput are those of the deployed configuration.
 */
class JvmFlagsTest {

    @Test
    void everyFunction_runsWithTheFlagsItsTestsAndBenchmarksUse() {
        Template template = Template.committed();

        List<String> problems = problems(template);

        assertThat(problems).as("JAVA_TOOL_OPTIONS in template.yaml").isEmpty();
        assertThat(template.idsOfType("AWS::Serverless::Function")).hasSize(3);
    }

    @Test
    void theProbeRegionMonitor_runsWithTheMonitorsFlags() {
        Template probe = Template.probeRegion();

        assertThat(problems(probe)).as("JAVA_TOOL_OPTIONS in probe-region.yaml").isEmpty();
        assertThat(probe.idsOfType("AWS::Serverless::Function")).containsExactly("MonitorFunction");
    }

    @Test
    void theMonitor_keepsTheC2Compiler_andTheOthersStopAtC1() {
        assertThat(ShippedFunction.jvmFlags("dev.cloudops.monitor.MonitorHandler::handleRequest"))
                .doesNotContain("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC");
        assertThat(ShippedFunction.jvmFlags("dev.cloudops.approval.ApprovalHandler::handleRequest"))
                .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(ShippedFunction.jvmFlags("dev.cloudops.execution.ExecutionHandler::handleRequest"))
                .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    @Test
    void aFunctionWhoseFlagsDrift_isReported() {
        Template drifted = Template.committed();
        ((ObjectNode) drifted.resource("MonitorFunction").path("Properties").path("Environment").path("Variables"))
                .set("JAVA_TOOL_OPTIONS", new TextNode("-XX:+TieredCompilation -XX:TieredStopAtLevel=1"));

        assertThat(problems(drifted)).containsExactly("MonitorFunction: JAVA_TOOL_OPTIONS is "
                + "[-XX:+TieredCompilation, -XX:TieredStopAtLevel=1], its tests and benchmarks use [-XX:+UseSerialGC]");
    }

    private static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        for (String function : template.idsOfType("AWS::Serverless::Function")) {
            String handler = template.resource(function).path("Properties").path("Handler").asText();
            JsonNode options = template.environment(function).get("JAVA_TOOL_OPTIONS");
            List<String> set = options == null ? List.of() : Arrays.asList(options.asText().trim().split("\\s+"));
            List<String> used = ShippedFunction.jvmFlags(handler);
            if (!set.equals(used)) {
                problems.add(function + ": JAVA_TOOL_OPTIONS is " + set + ", its tests and benchmarks use " + used);
            }
        }
        return problems;
    }
}
