package dev.loomcache.dashboard;

import static dev.loomcache.dashboard.Api.list;
import static dev.loomcache.dashboard.Api.map;
import static dev.loomcache.dashboard.Api.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.dashboard.Api.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Chronicle tier over HTTP: its entries, its counters, and what a restart keeps. */
class DashboardTiersTest {
  @TempDir private Path data;

  private Dashboard start() {
    return Dashboard.newBuilder().host("127.0.0.1").port(0).dataDirectory(data).start();
  }

  /** The tier named {@code name} in the tiers panel. */
  static Map<String, Object> tier(Api api, String name) throws Exception {
    Map<String, Object> panel = api.get("api/panels/tiers").json();
    return list(panel.get("tiers")).stream()
        .map(Api::map)
        .filter(tier -> name.equals(tier.get("tier")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tier '" + name + "' in " + panel));
  }

  static Map<String, Object> run(Api api, String scenario, String... fields) throws Exception {
    Answer answer = api.post("api/scenarios/" + scenario, fields);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Map<String, Object> result = answer.json();
    assertThat(number(result, "failures")).as(answer.body()).isZero();
    return result;
  }

  @Test
  void tiers_uniqueKeys_reportsChronicleEntriesAndWrites() throws Exception {
    try (Dashboard dashboard = start()) {
      var api = new Api(dashboard.uri());
      Map<String, Object> before = tier(api, "chronicle");
      assertThat(before)
          .containsEntry("state", "open")
          .containsEntry("file", data.toAbsolutePath().resolve("products.cmap").toString());
      assertThat(number(before, "entries")).isZero();

      assertThat(number(run(api, "unique-keys", "requests", "200"), "loaderCalls")).isEqualTo(200);

      Map<String, Object> after = tier(api, "chronicle");
      assertThat(number(after, "entries")).isEqualTo(200);
      assertThat(number(after, "writes")).isEqualTo(200);
      assertThat(number(after, "misses")).isEqualTo(200);
      assertThat(number(after, "hits")).isZero();
      assertThat(number(after, "errors")).isZero();
    }
    assertThat(data.resolve("products.cmap")).isRegularFile();
  }

  @Test
  void restart_sameDataDirectory_servesEarlierEntriesFromTheFile() throws Exception {
    try (Dashboard first = start()) {
      var api = new Api(first.uri());
      assertThat(number(run(api, "unique-keys", "requests", "300"), "loaderCalls")).isEqualTo(300);
    }
    try (Dashboard second = start()) {
      var api = new Api(second.uri());
      Map<String, Object> reopened = tier(api, "chronicle");
      assertThat(number(reopened, "entries")).isEqualTo(300);
      assertThat(number(reopened, "hits")).isZero();

      // A fresh process numbers its runs from 1 again: the same 300 keys as before the restart.
      Map<String, Object> result = run(api, "unique-keys", "requests", "300");
      assertThat(number(result, "loaderCalls")).isZero();
      assertThat(number(result, "distinctValues")).isEqualTo(300);

      Map<String, Object> chronicle = tier(api, "chronicle");
      assertThat(number(chronicle, "hits")).isEqualTo(300);
      assertThat(number(chronicle, "misses")).isZero();
      assertThat(number(chronicle, "writes")).isZero();
      assertThat(number(chronicle, "entries")).isEqualTo(300);
      Map<String, Object> panel = api.get("api/panels/tiers").json();
      assertThat(number(panel, "l1", "size")).isEqualTo(300);
    }
  }

  @Test
  void config_rebuild_reopensTheFileWithItsEntries() throws Exception {
    try (Dashboard dashboard = start()) {
      var api = new Api(dashboard.uri());
      run(api, "unique-keys", "requests", "100");
      assertThat(api.post("api/config", "maxBatchSize", "50").status()).isEqualTo(200);

      Map<String, Object> chronicle = tier(api, "chronicle");
      assertThat(chronicle).containsEntry("state", "open");
      assertThat(number(chronicle, "entries")).isEqualTo(100);
      assertThat(number(chronicle, "writes")).as("a new cache counts from zero").isZero();
      assertThat(map(api.get("api/panels/tiers").json())).doesNotContainKey("error");
    }
  }

  @Test
  void start_dataDirectoryInUse_runsWithoutTheFileAndSaysWhy() throws Exception {
    try (Dashboard first = start();
        Dashboard second = start()) {
      var api = new Api(second.uri());
      Map<String, Object> chronicle = tier(api, "chronicle");
      assertThat(chronicle).containsEntry("state", "error");
      assertThat((String) chronicle.get("error")).isNotBlank();
      assertThat(chronicle).doesNotContainKey("entries");
      assertThat(number(run(api, "unique-keys", "requests", "50"), "loaderCalls")).isEqualTo(50);
      assertThat(number(tier(new Api(first.uri()), "chronicle"), "entries")).isZero();
    }
  }
}
