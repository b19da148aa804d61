package dev.loomcache.chronicle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.StoredValue;
import dev.loomcache.testsupport.Polling;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tier SPI of {@link ChronicleStore} against a real Chronicle Map file. */
class ChronicleStoreTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private ChronicleStore open(String file) {
    return ChronicleStore.newBuilder(dir.resolve(file)).maxEntries(1_000).clock(clock).build();
  }

  private static StoredValue value(String text, long expiresAt) {
    return StoredValue.of(text.getBytes(UTF_8), expiresAt);
  }

  @Test
  void write_thenRead_returnsTheBytesAndExpiry() {
    try (ChronicleStore store = open("s.cmap")) {
      long expiry = clock.millis() + 60_000;
      store.write("k", value("v", expiry));
      store.write("forever", value("f", StoredValue.NEVER_EXPIRES));

      assertThat(store.read("k")).isEqualTo(value("v", expiry));
      assertThat(store.read("forever")).isEqualTo(value("f", StoredValue.NEVER_EXPIRES));
      assertThat(store.read("absent")).isNull();
      assertThat(store.estimatedSize()).isEqualTo(2);
    }
  }

  @Test
  void write_again_replacesTheValue_emptyValuesAreKept() {
    try (ChronicleStore store = open("s.cmap")) {
      store.write("k", value("first", StoredValue.NEVER_EXPIRES));
      store.write("k", value("second, and longer than the first", StoredValue.NEVER_EXPIRES));
      store.write("empty", value("", StoredValue.NEVER_EXPIRES));

      assertThat(store.read("k"))
          .isEqualTo(value("second, and longer than the first", StoredValue.NEVER_EXPIRES));
      assertThat(store.read("empty")).isEqualTo(value("", StoredValue.NEVER_EXPIRES));
    }
  }

  @Test
  void read_expiredByTheStoresClock_returnsNullButKeepsItUntilPurged() {
    try (ChronicleStore store = open("s.cmap")) {
      store.write("k", value("v", clock.millis() + 1_000));
      clock.advance(Duration.ofMillis(999));
      assertThat(store.read("k")).isNotNull();

      clock.advance(Duration.ofMillis(1));
      assertThat(store.read("k")).isNull();
      assertThat(store.estimatedSize()).isEqualTo(1);

      assertThat(store.purgeExpired()).isEqualTo(1);
      assertThat(store.estimatedSize()).isZero();
      assertThat(store.purgedCount()).isEqualTo(1);
    }
  }

  @Test
  void purgeExpired_removesOnlyExpiredEntries() {
    try (ChronicleStore store = open("s.cmap")) {
      for (int i = 0; i < 100; i++) {
        long expiry = i % 2 == 0 ? clock.millis() + 1_000 : StoredValue.NEVER_EXPIRES;
        store.write("k" + i, value("v" + i, expiry));
      }
      clock.advance(Duration.ofSeconds(2));

      assertThat(store.purgeExpired()).isEqualTo(50);
      assertThat(store.estimatedSize()).isEqualTo(50);
      for (int i = 0; i < 100; i++) {
        assertThat(store.read("k" + i))
            .as("k" + i)
            .isEqualTo(i % 2 == 0 ? null : value("v" + i, StoredValue.NEVER_EXPIRES));
      }
    }
  }

  @Test
  void backgroundPurge_removesExpiredEntriesByItself() {
    try (ChronicleStore store =
        ChronicleStore.newBuilder(dir.resolve("s.cmap"))
            .maxEntries(1_000)
            .clock(clock)
            .purgeInterval(Duration.ofMillis(5))
            .build()) {
      store.write("short", value("v", clock.millis() + 1_000));
      store.write("long", value("v", StoredValue.NEVER_EXPIRES));
      clock.advance(Duration.ofSeconds(2));

      Polling.awaitUntil(Duration.ofSeconds(20), "the purge runs", () -> store.purgedCount() == 1);
      assertThat(store.estimatedSize()).isEqualTo(1);
      assertThat(store.read("long")).isNotNull();
    }
  }

  @Test
  void delete_removesTheKey_absentKeyIsANoOp() {
    try (ChronicleStore store = open("s.cmap")) {
      store.write("k", value("v", StoredValue.NEVER_EXPIRES));
      store.delete("k");
      store.delete("never there");
      assertThat(store.read("k")).isNull();
    }
  }

  @Test
  void clear_emptiesTheFile() {
    Path file = dir.resolve("s.cmap");
    try (ChronicleStore store = open("s.cmap")) {
      for (int i = 0; i < 10; i++) {
        store.write("k" + i, value("v", StoredValue.NEVER_EXPIRES));
      }
      store.clear();
      assertThat(store.estimatedSize()).isZero();
    }
    try (ChronicleStore reopened = ChronicleStore.newBuilder(file).build()) {
      assertThat(reopened.estimatedSize()).isZero();
    }
  }

  @Test
  void name_defaultsToChronicle_andCanBeSet() {
    try (ChronicleStore store = ChronicleStore.newBuilder(dir.resolve("a.cmap")).build();
        ChronicleStore named =
            ChronicleStore.newBuilder(dir.resolve("b.cmap")).name("users-disk").build()) {
      assertThat(store.name()).isEqualTo("chronicle");
      assertThat(named.name()).isEqualTo("users-disk");
      assertThat(named.file()).isEqualTo(dir.resolve("b.cmap"));
    }
  }

  @Test
  void close_isIdempotent_andLaterCallsThrowNamingTheStore() {
    ChronicleStore store = open("s.cmap");
    store.close();
    store.close();

    assertThatThrownBy(() -> store.read("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ChronicleStore 'chronicle'")
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.write("k", value("v", 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::purgeExpired).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_whileWritersRun_waitsForThem_refusesLaterCalls_andMarksTheFileClean()
      throws Exception {
    Path file = dir.resolve("s.cmap");
    ChronicleStore store = open("s.cmap");
    var started = new CountDownLatch(4);
    var refused = new AtomicInteger();
    var written = new AtomicInteger();
    var writtenBy = new AtomicIntegerArray(4);
    var writers = new ArrayList<Thread>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      // Platform threads: four virtual writers that never block could keep two of themselves from
      // ever being scheduled on a 2-core machine, and the latch below would never open.
      writers.add(
          Thread.ofPlatform()
              .start(() -> {
                started.countDown();
                for (int i = 0; ; i++) {
                  try {
                    store.write(
                        "w" + writer + "-" + (i % 200), value("v" + i, StoredValue.NEVER_EXPIRES));
                    written.incrementAndGet();
                    writtenBy.incrementAndGet(writer);
                  } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                    return; // closed: every later call is refused too
                  }
                }
              }));
    }
    try {
      started.await();
      Polling.awaitUntil(
          Duration.ofSeconds(20), "writers are writing", () -> written.get() > 1_000);
    } finally {
      store.close(); // also stops the writers if the test fails
    }
    for (Thread writer : writers) {
      writer.join();
    }

    assertThat(refused).hasValue(4);
    assertThat(file.resolveSibling("s.cmap.state")).hasContent("C");
    try (ChronicleStore reopened = ChronicleStore.newBuilder(file).build()) {
      assertThat(reopened.recovered()).isFalse();
      long keys = 0; // each writer cycles through 200 keys of its own
      for (int w = 0; w < 4; w++) {
        keys += Math.min(200, writtenBy.get(w));
      }
      assertThat(reopened.estimatedSize()).isEqualTo(keys);
    }
  }

  @Test
  void sync_forcesTheFile_andTheStoreCarriesOn() {
    try (ChronicleStore store = open("s.cmap")) {
      store.write("k", value("v", StoredValue.NEVER_EXPIRES));
      store.sync();
      store.write("k2", value("v", StoredValue.NEVER_EXPIRES));
      assertThat(store.read("k")).isNotNull();
      assertThat(store.read("k2")).isNotNull();
    }
  }

  @Test
  void build_whileAnotherStoreHasTheFile_failsClearly_andWorksAfterItCloses() {
    Path file = dir.resolve("s.cmap");
    try (ChronicleStore first = open("s.cmap")) {
      first.write("k", value("v", StoredValue.NEVER_EXPIRES));
      assertThatThrownBy(() -> ChronicleStore.newBuilder(file).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("in use by another");
    }
    try (ChronicleStore second = ChronicleStore.newBuilder(file).build()) {
      assertThat(second.read("k")).isNotNull();
      assertThat(second.recovered()).isFalse();
    }
  }

  @Test
  void build_createsMissingParentDirectories() {
    Path file = dir.resolve("a/b/c/s.cmap");
    try (ChronicleStore store = ChronicleStore.newBuilder(file).build()) {
      store.write("k", value("v", StoredValue.NEVER_EXPIRES));
    }
    assertThat(file).exists();
    assertThat(file.resolveSibling("s.cmap.state")).hasContent("C");
  }

  @Test
  void builder_setters_rejectBadValuesAndSecondCalls() {
    var builder = ChronicleStore.newBuilder(dir.resolve("s.cmap"));
    assertThatThrownBy(() -> builder.maxEntries(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> builder.averageKeySize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("averageKeySize");
    assertThatThrownBy(() -> builder.averageValueSize(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("averageValueSize");
    assertThatThrownBy(() -> builder.purgeInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("purgeInterval");
    assertThatThrownBy(() -> builder.name(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.clock(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock must not be null");
    assertThatThrownBy(() -> ChronicleStore.newBuilder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("file must not be null");
    assertThatThrownBy(() -> ChronicleStore.newBuilder(Path.of("/")))
        .isInstanceOf(IllegalArgumentException.class);

    builder.maxEntries(10).name("n").averageValueSize(100);
    assertThatThrownBy(() -> builder.maxEntries(20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxEntries was already set to 10");
    assertThatThrownBy(() -> builder.name("m"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name was already set to n");
    assertThatThrownBy(() -> builder.averageValueSize(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("averageValueSize was already set to 100.0");
  }

  /**
   * Chronicle's switches must be set before any Chronicle class initializes; the store sets them in
   * its static initializer, which runs before any of its code can reach Chronicle as long as no
   * Chronicle type appears in the store's fields or signatures (resolving those could load them).
   */
  @Test
  void storeClasses_nameNoChronicleTypeInFieldsOrSignatures() {
    var types = new ArrayList<Type>();
    for (Class<?> type : List.of(ChronicleStore.class, ChronicleStoreBuilder.class)) {
      for (Field field : type.getDeclaredFields()) {
        types.add(field.getGenericType());
      }
      for (Method method : type.getDeclaredMethods()) {
        types.add(method.getGenericReturnType());
        types.addAll(Arrays.asList(method.getGenericParameterTypes()));
      }
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        types.addAll(Arrays.asList(constructor.getGenericParameterTypes()));
      }
    }
    assertThat(types)
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.getTypeName()).doesNotContain("net.openhft"));
  }
}
