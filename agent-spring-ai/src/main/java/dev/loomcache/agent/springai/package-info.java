/**
 * The Loomcache agent cache for Spring AI: tool callbacks whose calls are cached by resource,
 * invalidated by writes and checked for loops per session named in the {@code ToolContext}.
 *
 * <p>Start with {@link dev.loomcache.agent.springai.SpringAiAgentTools#newBuilder}.
 */
@NullMarked
package dev.loomcache.agent.springai;

import org.jspecify.annotations.NullMarked;
