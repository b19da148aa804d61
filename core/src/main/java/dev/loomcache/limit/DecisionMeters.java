package dev.loomcache.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ratelimit.decisions} counters of one in-process limiter, tagged {@code limiter} and
 * {@code result}; every method is a no-op without a registry.
 */
final class DecisionMeters {
  static final String NAME = "ratelimit.decisions";

  private final @Nullable Counter allowed;
  private final @Nullable Counter denied;
  private final @Nullable Counter banned;

  /** Counters for limiter {@code name} in {@code registry}, or none if it is null. */
  DecisionMeters(String name, @Nullable MeterRegistry registry) {
    allowed = counter(registry, name, "allowed");
    denied = counter(registry, name, "denied");
    banned = counter(registry, name, "banned");
  }

  /**
   * Registers (or finds) the counter of {@code result} for limiter {@code name}; null without a
   * registry.
   */
  private static @Nullable Counter counter(
      @Nullable MeterRegistry registry, String name, String result) {
    return registry == null
        ? null
        : Counter.builder(NAME)
            .tag("limiter", name)
            .tag("result", result)
            .description("Rate-limit decisions, by result")
            .register(registry);
  }

  /** Counts an allowed call. */
  void allowed() {
    if (allowed != null) {
      allowed.increment();
    }
  }

  /** Counts a call denied by its limit. */
  void denied() {
    if (denied != null) {
      denied.increment();
    }
  }

  /** Counts a call denied by a ban. */
  void banned() {
    if (banned != null) {
      banned.increment();
    }
  }
}
