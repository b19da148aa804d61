package dev.loomcache.chronicle;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A small harness, not a test: the latency of {@code Cache.put} with and without a Chronicle tier
 * (and of the tier's own write), one thread, 100,000 distinct keys cycled, 100-byte values. Run
 * with the four Chronicle flags on the test class path (the README has the command).
 */
public final class WriteThroughLatency {
  private static final int KEYS = 100_000;
  private static final int WARMUP = 500_000;
  private static final int MEASURED = 2_000_000;

  private WriteThroughLatency() {}

  public static void main(String[] args) throws IOException {
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
    }
    String value = "x".repeat(100);
    Path dir = Files.createTempDirectory("loomcache-latency");
    try {
      try (Cache<String, String> l1Only = Loomcache.newBuilder().maximumSize(KEYS * 2L).build()) {
        report("Cache.put, L1 only", measure(l1Only, keys, value));
      }
      ChronicleStore store =
          ChronicleStore.newBuilder(dir.resolve("latency.cmap"))
              .maxEntries(KEYS * 2L)
              .averageKeySize(12)
              .averageValueSize(100)
              .build();
      try (Cache<String, String> tiered =
          Loomcache.newBuilder()
              .maximumSize(KEYS * 2L)
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.string())
              .tier(store)
              .build()) {
        report("Cache.put, L1 + Chronicle write-through", measure(tiered, keys, value));
        report("ChronicleStore.write alone", measureStore(store, keys, value));
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long[] measure(Cache<String, String> cache, String[] keys, String value) {
    for (int i = 0; i < WARMUP; i++) {
      cache.put(keys[i % KEYS], value);
    }
    long[] nanos = new long[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      cache.put(keys[i % KEYS], value);
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  private static long[] measureStore(ChronicleStore store, String[] keys, String value) {
    var stored =
        dev.loomcache.spi.StoredValue.of(
            ValueCodec.string().encode(value), dev.loomcache.spi.StoredValue.NEVER_EXPIRES);
    for (int i = 0; i < WARMUP; i++) {
      store.write(keys[i % KEYS], stored);
    }
    long[] nanos = new long[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      store.write(keys[i % KEYS], stored);
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  private static void report(String what, long[] nanos) {
    Arrays.sort(nanos);
    System.out.printf(
        "%-42s p50 %,7d ns   p99 %,8d ns   p99.9 %,9d ns   (%,d puts)%n",
        what,
        nanos[nanos.length / 2],
        nanos[(int) (nanos.length * 0.99)],
        nanos[(int) (nanos.length * 0.999)],
        nanos.length);
  }
}
