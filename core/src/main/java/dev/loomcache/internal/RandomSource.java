package dev.loomcache.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Draws {@code U}, uniform in (0, 1], for XFetch and TTL jitter; fixed ones make tests exact. */
@FunctionalInterface
public interface RandomSource {
  /** The default: {@link ThreadLocalRandom}, shifted from [0, 1) to (0, 1]. */
  RandomSource DEFAULT = () -> 1.0 - ThreadLocalRandom.current().nextDouble();

  /** Returns a number in (0, 1]. */
  double nextUnit();
}
