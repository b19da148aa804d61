/**
 * The Loomcache agent cache for LangChain4j: tool executors and tool providers whose calls are
 * cached by resource, invalidated by writes and checked for loops per conversation.
 *
 * <p>Start with {@link dev.loomcache.agent.langchain4j.LangChain4jAgentTools#newBuilder}.
 */
@NullMarked
package dev.loomcache.agent.langchain4j;

import org.jspecify.annotations.NullMarked;
