package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every function's Handler names a RequestStreamHandler of the module whose jar the Makefile deploys for it. */
class HandlersTest {

    private static final Map<String, String> EXPECTED = Map.of(
            "MonitorFunction", "dev.cloudops.monitor.MonitorHandler",
            "ApprovalFunction", "dev.cloudops.approval.ApprovalHandler",
            "ExecutionFunction", "dev.cloudops.execution.ExecutionHandler");

    @Test
    void theTemplateDeclaresTheThreeFunctions() {
        Template template = Template.committed();

        List<String> functions = template.idsOfType("AWS::Serverless::Function");

        assertThat(functions).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @Test
    void everyHandler_isARequestStreamHandlerOfTheModuleItsFunctionDeploys() throws IOException {
        Template template = Template.committed();

        List<String> problems = problems(template, makefile());

        assertThat(problems).as("handlers in template.yaml").isEmpty();
    }

    /** `sam build -t probe-region.yaml` runs the Makefile target of the function's logical id: the monitor's. */
    @Test
    void theProbeRegionTemplate_deploysTheMonitorWithTheMonitorsBuildTarget() throws IOException {
        Template probe = Template.probeRegion();

        assertThat(probe.idsOfType("AWS::Serverless::Function")).containsExactly("MonitorFunction");
        assertThat(problems(probe, makefile())).as("handlers in probe-region.yaml").isEmpty();
    }

    @Test
    void aHandlerThatIsMissingOrInTheWrongModule_isReported() throws IOException {
        Template broken = Template.committed();
        ((ObjectNode) broken.resource("MonitorFunction").get("Properties"))
                .put("Handler", "dev.cloudops.monitor.MonitorHandlr::handleRequest");
        ((ObjectNode) broken.resource("ApprovalFunction").get("Properties"))
                .put("Handler", "dev.cloudops.execution.ExecutionHandler::handleRequest");
        ((ObjectNode) broken.resource("ExecutionFunction").get("Properties"))
                .put("Handler", "dev.cloudops.execution.ExecutionWiring::handleRequest");

        List<String> problems = problems(broken, makefile());

        assertThat(problems).anyMatch(p -> p.startsWith("MonitorFunction") && p.contains("no class"))
                .anyMatch(p -> p.startsWith("ApprovalFunction") && p.contains("not in approval-lambda"))
                .anyMatch(p -> p.startsWith("ExecutionFunction") && p.contains("RequestStreamHandler"));
    }

    private static List<String> problems(Template template, String makefile) {
        List<String> problems = new ArrayList<>();
        for (String function : template.idsOfType("AWS::Serverless::Function")) {
            String handler = template.resource(function).path("Properties").path("Handler").asText();
            String[] parts = handler.split("::");
            if (parts.length != 2 || !parts[1].equals("handleRequest")) {
                problems.add(function + ": Handler '" + handler + "' is not <class>::handleRequest");
                continue;
            }
            Matcher build = Pattern.compile("build-" + function + ":\\n(?:\\t.*\\n)*?\\tcp (\\S+)/target/\\1\\.jar ")
                    .matcher(makefile);
            if (!build.find()) {
                problems.add(function + ": the Makefile has no build-" + function + " target copying <module>/target/<module>.jar");
                continue;
            }
            String module = build.group(1);
            Class<?> type;
            try {
                type = Class.forName(parts[0], false, HandlersTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                problems.add(function + ": no class " + parts[0] + " on the classpath of the function modules");
                continue;
            }
            String source = type.getProtectionDomain().getCodeSource().getLocation().toString();
            if (!source.contains("/" + module + "/") && !source.contains("/" + module + "-")) {
                problems.add(function + ": " + parts[0] + " is not in " + module + " (found in " + source + ")");
            }
            if (!RequestStreamHandler.class.isAssignableFrom(type)) {
                problems.add(function + ": " + parts[0] + " does not implement RequestStreamHandler");
            }
        }
        return problems;
    }

    private static String makefile() throws IOException {
        return Files.readString(Template.file().resolveSibling("Makefile"));
    }
}
