package dev.loomcache.dashboard.internal;

import dev.loomcache.agent.AgentStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One tool's totals over every run of the LangChain4j panel, from the change of the agent cache's
 * statistics across each call; written by the one running action, read by the panel's status.
 */
final class ToolCounts {
  private final String policy;
  private final LongSupplier backendCalls;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong loops = new AtomicLong();
  private final AtomicLong shortCircuits = new AtomicLong();
  private final AtomicLong raised = new AtomicLong();

  ToolCounts(String policy, LongSupplier backendCalls) {
    this.policy = policy;
    this.backendCalls = backendCalls;
  }

  void record(AgentStats before, AgentStats after, boolean raisedLoop) {
    calls.addAndGet(after.calls() - before.calls());
    hits.addAndGet(after.hits() - before.hits());
    misses.addAndGet(after.misses() - before.misses());
    invalidations.addAndGet(after.invalidations() - before.invalidations());
    loops.addAndGet(after.loopDetections() - before.loopDetections());
    shortCircuits.addAndGet(after.shortCircuits() - before.shortCircuits());
    if (raisedLoop) {
      raised.incrementAndGet();
    }
  }

  Map<String, Object> toJson(String tool) {
    var json = new LinkedHashMap<String, Object>();
    json.put("tool", tool);
    json.put("policy", policy);
    json.put("calls", calls.get());
    json.put("hits", hits.get());
    json.put("misses", misses.get());
    json.put("invalidations", invalidations.get());
    json.put("loopDetections", loops.get());
    json.put("shortCircuits", shortCircuits.get());
    json.put("raised", raised.get());
    json.put("shopCalls", backendCalls.getAsLong());
    return json;
  }
}
