package dev.loomcache.dashboard;

import static dev.loomcache.dashboard.Api.list;
import static dev.loomcache.dashboard.Api.map;
import static dev.loomcache.dashboard.Api.number;
import static dev.loomcache.dashboard.DashboardTiersTest.run;
import static dev.loomcache.dashboard.DashboardTiersTest.tier;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis tier against a real {@code redis-server} that the test starts and then kills. */
class DashboardRedisTest {
  @TempDir private Path data;

  @Test
  void redis_upThenKilled_isReportedDownWhileScenariosSucceed() throws Exception {
    try (var redis = RedisServer.start();
        Dashboard dashboard =
            Dashboard.newBuilder()
                .host("127.0.0.1")
                .port(0)
                .dataDirectory(data)
                .redis("127.0.0.1", redis.port())
                .start()) {
      var api = new Api(dashboard.uri());
      Map<String, Object> panel = api.get("api/panels/tiers").json();
      assertThat(list(panel.get("tiers")))
          .extracting(tier -> map(tier).get("tier"))
          .containsExactly("chronicle", "redis");
      assertThat((String) panel.get("summary")).contains("Redis at 127.0.0.1:" + redis.port());
      Polling.awaitUntil(
          Duration.ofSeconds(20),
          "Redis is reported up",
          () -> "up".equals(tier(api, "redis").get("state")));

      assertThat(number(run(api, "unique-keys", "requests", "200"), "loaderCalls")).isEqualTo(200);
      Map<String, Object> up = tier(api, "redis");
      assertThat(number(up, "writes")).isEqualTo(200);
      assertThat(number(up, "misses")).isEqualTo(200);
      assertThat(number(up, "errors")).isZero();
      assertThat(up).containsEntry("keyPrefix", "loomcache-dashboard:");
      assertThat(redis.keyCount()).isEqualTo(200);

      redis.kill();
      Polling.awaitUntil(
          Duration.ofSeconds(20),
          "Redis is reported down",
          () -> !"up".equals(tier(api, "redis").get("state")));

      Map<String, Object> result = run(api, "unique-keys", "requests", "100");
      assertThat(number(result, "loaderCalls")).isEqualTo(100);
      assertThat(number(result, "distinctValues")).isEqualTo(100);
      Map<String, Object> down = tier(api, "redis");
      assertThat((String) down.get("state")).isIn("down", "breaker open");
      assertThat(number(down, "errors")).isPositive();
      assertThat(number(down, "writes")).as("writes that reached Redis").isEqualTo(200);
      assertThat(number(tier(api, "chronicle"), "entries")).isEqualTo(300);
    }
  }
}
