package dev.loomcache.chronicle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that cannot be trusted: never opened as if empty. A corrupt file throws a clear exception
 * and is left untouched, or with {@link OnCorruptFile#MOVE_ASIDE} is kept beside a fresh one. A
 * file merely left open by a crash is recovered with everything in it.
 */
class ChronicleStoreCorruptFileTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("store.cmap");
  }

  private Path stateFile() {
    return dir.resolve("store.cmap.state");
  }

  private ChronicleStore open() {
    return ChronicleStore.newBuilder(file()).maxEntries(1_000).build();
  }

  /** A store file with 200 entries, closed cleanly. */
  private void writeCleanFile() {
    try (ChronicleStore store = open()) {
      for (int i = 0; i < 200; i++) {
        store.write("k" + i, StoredValue.of(("v" + i).getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
      }
    }
  }

  private void truncateToHalf() throws IOException {
    try (var raf = new RandomAccessFile(file().toFile(), "rw")) {
      raf.setLength(raf.length() / 2);
    }
  }

  private void assertFailsAsCorrupt(String reason) {
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptStoreFileException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("corrupt or truncated")
        .hasMessageContaining(reason)
        .hasMessageContaining("MOVE_ASIDE")
        .satisfies(e -> assertThat(((CorruptStoreFileException) e).file()).isEqualTo(file()));
  }

  @Test
  void truncatedFile_closedCleanly_throwsAndLeavesTheFileUntouched() throws IOException {
    writeCleanFile();
    truncateToHalf();
    byte[] before = Files.readAllBytes(file());

    assertFailsAsCorrupt("unexpected length");
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
  }

  @Test
  void truncatedFile_leftByACrash_throwsInsteadOfRecoveringWhatIsLeft() throws IOException {
    writeCleanFile();
    truncateToHalf();
    Files.writeString(stateFile(), "D");
    byte[] before = Files.readAllBytes(file());

    // Recovery would "succeed" on it, silently dropping the entries past the cut.
    assertFailsAsCorrupt("unexpected length");
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
  }

  @Test
  void randomBytes_throwPromptly() throws IOException {
    byte[] garbage = new byte[64 * 1024];
    new Random(42).nextBytes(garbage);
    garbage[8] =
        0; // a size word Chronicle reads as "header still being written": it would wait a minute
    garbage[11] = (byte) 0x80;
    Files.write(file(), garbage);

    assertFailsAsCorrupt("not marked complete");
    assertThat(Files.readAllBytes(file())).isEqualTo(garbage);
  }

  @Test
  void randomBytesWithAPlausibleHeaderSize_throw() throws IOException {
    byte[] garbage = new byte[64 * 1024];
    new Random(7).nextBytes(garbage);
    garbage[8] = 0x10; // a ready header of 4 KiB, whose checksum cannot match
    garbage[9] = 0x10;
    garbage[10] = 0;
    garbage[11] = 0;
    Files.write(file(), garbage);

    assertFailsAsCorrupt("hecksum");
  }

  @Test
  void aFewBytesOfText_throw() throws IOException {
    Files.writeString(file(), "hello\n");
    assertFailsAsCorrupt("fewer than a Chronicle Map header");
  }

  @Test
  void tamperedHeader_throws() throws IOException {
    writeCleanFile();
    byte[] bytes = Files.readAllBytes(file());
    bytes[40] ^= 0x01; // inside the self-describing header, covered by its checksum
    Files.write(file(), bytes);

    assertFailsAsCorrupt("hecksum");
  }

  @Test
  void anotherChronicleMapFile_isNotTakenForAStore() throws IOException {
    try (ChronicleMap<Long, Long> foreign =
        ChronicleMapBuilder.of(Long.class, Long.class)
            .name("someone-elses")
            .entries(100)
            .createPersistedTo(file().toFile())) {
      foreign.put(1L, 2L);
    }
    Files.writeString(stateFile(), "C");
    assertFailsAsCorrupt("not a Loomcache store");
  }

  @Test
  void recordTooShortToBeOne_readsAsACorruptValue_aCountedMissInTheCache_andPurgeDropsIt()
      throws IOException {
    writeCleanFile();
    try (ChronicleMap<String, byte[]> raw =
        ChronicleMapBuilder.of(String.class, byte[].class)
            .entries(1_000)
            .averageKeySize(32)
            .averageValueSize(256)
            .createPersistedTo(file().toFile())) {
      raw.put("short", new byte[] {1, 2, 3});
      raw.put("short, untouched", new byte[] {1});
    }

    ChronicleStore store = open();
    assertThatThrownBy(() -> store.read("short"))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("3 bytes");
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(store)
            .build()) {
      assertThat(cache.get("short", () -> "loaded")).isEqualTo("loaded"); // and written through
      assertThat(cache.stats().tierStats().getFirst().errorCount()).isEqualTo(1);
      assertThat(cache.get("k7", () -> "loaded")).isEqualTo("v7");
    }
    try (ChronicleStore reopened = open()) {
      assertThat(reopened.purgeExpired()).isEqualTo(1); // the purge drops what is not a record
      assertThat(reopened.read("short, untouched")).isNull();
      assertThat(reopened.estimatedSize()).isEqualTo(201);
    }
  }

  @Test
  void moveAside_keepsTheCorruptBytesBesideAFreshStore() throws IOException {
    byte[] garbage = new byte[64 * 1024];
    new Random(1).nextBytes(garbage);
    garbage[8] = 0;
    garbage[11] = (byte) 0x80;
    Files.write(file(), garbage);

    try (ChronicleStore store =
        ChronicleStore.newBuilder(file()).onCorruptFile(OnCorruptFile.MOVE_ASIDE).build()) {
      assertThat(store.estimatedSize()).isZero();
      store.write("new", StoredValue.of("v".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
    }
    Path aside;
    try (Stream<Path> files = Files.list(dir)) {
      aside =
          files
              .filter(p -> p.getFileName().toString().startsWith("store.cmap.corrupt-"))
              .findFirst()
              .orElseThrow();
    }
    assertThat(Files.readAllBytes(aside)).isEqualTo(garbage);
    try (ChronicleStore reopened = open()) {
      assertThat(reopened.read("new")).isNotNull();
    }
  }

  @Test
  void intactFileNotMarkedClean_isRecovered_withEveryEntry() throws IOException {
    writeCleanFile();
    Files.writeString(stateFile(), "D"); // as a killed process leaves it

    try (ChronicleStore store = open()) {
      assertThat(store.recovered()).isTrue();
      assertThat(store.estimatedSize()).isEqualTo(200);
      for (int i = 0; i < 200; i++) {
        assertThat(store.read("k" + i)).isNotNull();
      }
    }
    assertThat(stateFile()).hasContent("C");
    try (ChronicleStore again = open()) {
      assertThat(again.recovered()).isFalse();
    }
  }

  @Test
  void fileWithoutItsStateSidecar_isTreatedAsUnclean_andRecovered() throws IOException {
    writeCleanFile();
    Files.delete(stateFile());

    try (ChronicleStore store = open()) {
      assertThat(store.recovered()).isTrue();
      assertThat(store.estimatedSize()).isEqualTo(200);
    }
  }

  @Test
  void creationCutShort_isStartedAgain() throws IOException {
    Files.write(file(), new byte[] {1, 2, 3});
    Files.writeString(stateFile(), "N"); // the state written just before creating the file

    try (ChronicleStore store = open()) {
      assertThat(store.estimatedSize()).isZero();
      assertThat(store.recovered()).isFalse();
    }
  }
}
