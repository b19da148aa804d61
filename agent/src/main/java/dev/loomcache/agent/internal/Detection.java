package dev.loomcache.agent.internal;

import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.ToolCall;
import java.util.List;

/**
 * A loop found by the {@link LoopDetector} on one call.
 *
 * @param calls the calls that repeat, oldest first
 * @param observedCount the count that crossed the policy's limit
 */
public record Detection(LoopKind kind, List<ToolCall> calls, long observedCount) {}
