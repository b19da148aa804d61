/**
 * Caching and loop detection for the tools an AI agent calls.
 *
 * <p>Start with {@link dev.loomcache.agent.AgentCache#newBuilder()}; wrap each tool with {@link
 * dev.loomcache.agent.AgentCache#readTool} or {@link dev.loomcache.agent.AgentCache#writeTool}, and
 * run each agent inside an {@link dev.loomcache.agent.AgentSession}. The module's {@code README.md}
 * has a worked example, the canonical form of arguments and the loop-detection rules.
 */
@NullMarked
package dev.loomcache.agent;

import org.jspecify.annotations.NullMarked;
