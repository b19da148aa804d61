/**
 * The Loomcache agent cache for servers built with the MCP Java SDK: tool specifications whose
 * calls are cached by resource, invalidated by writes and checked for loops per MCP session.
 *
 * <p>Start with {@link dev.loomcache.agent.mcp.McpAgentTools#newBuilder}.
 */
@NullMarked
package dev.loomcache.agent.mcp;

import org.jspecify.annotations.NullMarked;
