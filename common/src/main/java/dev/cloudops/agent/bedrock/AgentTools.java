package dev.cloudops.agent.bedrock;

import dev.cloudops.agent.Incident;
import java.util.Map;

/**
 * The read tools offered to the Bedrock agent (RETURN_CONTROL functions, schema in
 * {@code bedrock/read-tools.functions.json}). This process runs them with its own read-only
 * permissions; a call that fails or is not allowed answers with an error text instead of throwing.
 */
public interface AgentTools {

    /** The result of one call made while analysing {@code incident}, as text for the agent. */
    String call(Incident incident, String function, Map<String, String> parameters);
}
