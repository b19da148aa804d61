package dev.loomcache.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.DocSnippets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code shown in this module's README.md, compiled and run; the test also checks that the README
 * shows exactly the lines between the markers below, so the two cannot drift apart.
 */
class ReadmeExamplesTest {
  @TempDir Path dir;

  /** Stands in for the database of the README example. */
  static final class Database {
    final AtomicInteger queries = new AtomicInteger();

    String loadName(String id) {
      queries.incrementAndGet();
      return "Name of " + id;
    }
  }

  @Test
  void usage() throws IOException {
    var database = new Database();
    Path file = dir.resolve("users.cmap");

    for (int run = 0; run < 2; run++) { // two runs of the service: the second finds the file
      // README-BEGIN usage
      ChronicleStore store = ChronicleStore.newBuilder(file)
          .maxEntries(10_000)                  // sizes the file: a few MB here
          .averageKeySize(32)
          .averageValueSize(256)
          .build();
      Cache<String, String> users = Loomcache.newBuilder()
          .name("users")
          .defaultTtl(Duration.ofHours(1))
          .keyCodec(KeyCodec.string())
          .valueCodec(ValueCodec.string())
          .tier(store)
          .build();
      store.preload(users, KeyCodec.string());  // optional: fill L1 from the file at start
      String name = users.get("user:1", () -> database.loadName("user:1")); // written through
      users.close();                            // closes the store: the file is marked clean
      // README-END usage

      assertThat(name).isEqualTo("Name of user:1");
    }
    assertThat(database.queries).hasValue(1);
    // The snippet used maxEntries(1_000_000): a 391 MB file for one entry, to a reader trying it
    // out.
    assertThat(Files.size(file)).as("the file's size").isLessThan(8L << 20);
  }

  @Test
  void readme_showsTheTestedCode() {
    DocSnippets.ofTest(ReadmeExamplesTest.class).assertShownIn(Path.of("README.md"));
  }
}
