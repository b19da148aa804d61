package dev.loomcache.dashboard;

import static dev.loomcache.dashboard.Api.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.dashboard.Api.Answer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /api/config} over HTTP: each test gets its own dashboard, since applying rebuilds the
 * cache.
 */
class DashboardConfigTest {
  private Dashboard dashboard;
  private Api api;
  @TempDir private Path data;

  @BeforeEach
  void start() {
    dashboard = Dashboard.newBuilder().port(0).dataDirectory(data).start();
    api = new Api(dashboard.uri());
  }

  @AfterEach
  void stop() {
    dashboard.close();
  }

  @Test
  void config_postJson_rebuildsWithTheJsonValues() throws Exception {
    Answer answer =
        api.postTyped(
            "api/config", "application/json", "{\"maximumSize\": 500, \"maxBatchSize\": \"7\"}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json())
        .containsEntry("maximumSize", 500L)
        .containsEntry("maxBatchSize", 7L)
        .containsEntry("batchWindowMillis", 5L);
    Answer unknown = api.postTyped("api/config", "application/json", "{\"maxSize\": 5}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error()).startsWith("Unknown field maxSize;");
    assertThat(api.get("api/config").json()).containsEntry("maximumSize", 500L);
  }

  @Test
  void config_get_isTheLibraryDefaults() throws Exception {
    Map<String, Object> config = api.get("api/config").json();
    assertThat(config)
        .containsEntry("maximumSize", 10_000L)
        .containsEntry("ttlSeconds", 0L)
        .containsEntry("batchWindowMillis", 5L)
        .containsEntry("maxBatchSize", 100L);
  }

  @Test
  void config_post_rebuildsTheCacheWithTheNewValues() throws Exception {
    api.post("api/scenarios/unique-keys", "requests", "30");
    Answer answer =
        api.post(
            "api/config",
            "maximumSize",
            "500",
            "ttlSeconds",
            "60",
            "batchWindowMillis",
            "20",
            "maxBatchSize",
            "7");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json())
        .containsEntry("maximumSize", 500L)
        .containsEntry("ttlSeconds", 60L)
        .containsEntry("batchWindowMillis", 20L)
        .containsEntry("maxBatchSize", 7L);
    assertThat(api.get("api/config").json()).containsEntry("maxBatchSize", 7L);
    Map<String, Object> stats = api.get("api/stats").json();
    assertThat(number(stats, "stats", "misses")).isZero();
    assertThat(number(stats, "stats", "size")).isZero();
    // The meters follow the new cache, not the closed one.
    assertThat(api.get("metrics").body())
        .contains("cache_gets_total{cache=\"products\",result=\"miss\"} 0.0");
    Map<String, Object> burst = api.post("api/scenarios/batched-burst", "requests", "21").json();
    assertThat(number(burst, "batchCalls")).isGreaterThanOrEqualTo(3);
    assertThat(number(burst, "after", "largestBatch")).isLessThanOrEqualTo(7);
  }

  @Test
  void config_postOneField_keepsTheOthers() throws Exception {
    Map<String, Object> config = api.post("api/config", "ttlSeconds", "5").json();
    assertThat(config)
        .containsEntry("ttlSeconds", 5L)
        .containsEntry("maximumSize", 10_000L)
        .containsEntry("maxBatchSize", 100L);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "maximumSize=big            | maximumSize must be a whole number from 0 to 1000000, but was 'big'.",
        "maximumSize=1000001        | maximumSize must be from 0 to 1000000, but was 1000001.",
        "ttlSeconds=-1              | ttlSeconds must be from 0 to 604800, but was -1.",
        "batchWindowMillis=5ms      | batchWindowMillis must be a whole number from 0 to 1000, but was '5ms'.",
        "maxBatchSize=0             | maxBatchSize must be from 1 to 10000, but was 0.",
        "maxBatchSize=99999999999999999999 | maxBatchSize must be a whole number from 1 to 10000",
        "size=10                    | Unknown field size; accepted: batchWindowMillis, maxBatchSize, maximumSize, ttlSeconds.",
      })
  void config_badValue_is400AndChangesNothing(String body, String message) throws Exception {
    Answer answer = api.postRaw("api/config", body);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).startsWith(message);
    assertThat(api.get("api/config").json())
        .containsEntry("maximumSize", 10_000L)
        .containsEntry("ttlSeconds", 0L)
        .containsEntry("batchWindowMillis", 5L)
        .containsEntry("maxBatchSize", 100L);
  }

  @Test
  void config_wrongMethod_is405() throws Exception {
    Answer answer =
        api.send(HttpRequest.newBuilder(dashboard.uri().resolve("api/config")).DELETE());
    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.error()).contains("accepts GET or POST, not DELETE");
  }
}
