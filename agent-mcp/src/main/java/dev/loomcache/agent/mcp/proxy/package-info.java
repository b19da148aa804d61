/**
 * A caching MCP proxy: it starts an upstream MCP server over stdio and serves its tools over stdio
 * through the agent cache. Run it with {@code bin/mcp-cache-proxy}.
 */
@NullMarked
package dev.loomcache.agent.mcp.proxy;

import org.jspecify.annotations.NullMarked;
