package dev.loomcache.dashboard;

import static dev.loomcache.dashboard.Api.list;
import static dev.loomcache.dashboard.Api.map;
import static dev.loomcache.dashboard.Api.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.dashboard.Api.Answer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every endpoint over real HTTP, against a dashboard started on 127.0.0.1 and a free port. */
class DashboardHttpTest {
  private static Dashboard dashboard;
  private static Api api;
  @TempDir private static Path data;

  @BeforeAll
  static void start() {
    dashboard = Dashboard.newBuilder().host("127.0.0.1").port(0).dataDirectory(data).start();
    api = new Api(dashboard.uri());
  }

  @AfterAll
  static void stop() {
    dashboard.close();
  }

  @Test
  void uri_started_isLoopbackWithTheChosenPort() {
    assertThat(dashboard.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(dashboard.uri().getPort()).isPositive();
    assertThat(dashboard.uri().getPath()).isEqualTo("/");
  }

  @Test
  void page_root_isHtmlThatLoadsOnlyItsOwnFiles() throws Exception {
    Answer page = api.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body())
        .contains("<title>Loomcache dashboard</title>")
        .contains("src=\"app.js\"")
        .contains("href=\"app.css\"")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain("//cdn");
  }

  @Test
  void page_scriptAndStylesheet_areServedWithTheirTypesAndNoRemoteUrls() throws Exception {
    Answer script = api.get("/app.js");
    Answer style = api.get("/app.css");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.contentType()).startsWith("text/javascript");
    assertThat(style.status()).isEqualTo(200);
    assertThat(style.contentType()).startsWith("text/css");
    // The one URL in the script is the SVG namespace, an identifier that is never fetched.
    assertThat(script.body().replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(style.body()).doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void page_unknownPath_is404WithoutStackTrace() throws Exception {
    Answer missing = api.get("/nope.html");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).doesNotContain("Exception");
    assertThat(api.get("/dev/loomcache/dashboard/static/app.js").status()).isEqualTo(404);
  }

  @Test
  void info_get_saysTheRequestRanOnAVirtualThread() throws Exception {
    Map<String, Object> info = api.get("api/info").json();
    assertThat(info.get("virtualThread")).isEqualTo(true);
    assertThat(info.get("cache")).isEqualTo("products");
    assertThat(list(info.get("panels")))
        .containsExactly("tiers", "agent", "langchain4j", "freshness");
  }

  @Test
  void scenarios_get_listsTheFiveScenarios() throws Exception {
    Answer answer = api.get("api/scenarios");
    assertThat(answer.status()).isEqualTo(200);
    List<Object> scenarios = list(new JSON().fromJSON(answer.body()));
    assertThat(scenarios)
        .extracting(s -> map(s).get("id"))
        .containsExactly("one-key", "unique-keys", "mix", "batched-burst", "warmup");
  }

  @Test
  void oneKey_thousandConcurrentRequests_makeOneLoaderCall() throws Exception {
    Answer answer = api.post("api/scenarios/one-key", "requests", "1000");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Map<String, Object> result = answer.json();
    assertThat(number(result, "requests")).isEqualTo(1000);
    assertThat(number(result, "loaderCalls")).isEqualTo(1);
    assertThat(number(result, "distinctValues")).isEqualTo(1);
    assertThat(number(result, "failures")).isZero();
    assertThat(number(result, "delta", "loads")).isEqualTo(1);
    assertThat(number(result, "delta", "hits") + number(result, "delta", "misses")).isEqualTo(1000);
    assertThat(number(result, "delta", "hits") + number(result, "delta", "coalesced"))
        .isEqualTo(999);
    assertThat(number(result, "latency", "count")).isEqualTo(1000);
    assertThat((String) result.get("summary")).startsWith("1000 requests, 1 loader call;");
  }

  @Test
  void uniqueKeys_requests_loadEveryKeyOnce() throws Exception {
    Map<String, Object> result = api.post("api/scenarios/unique-keys", "requests", "200").json();
    assertThat(number(result, "loaderCalls")).isEqualTo(200);
    assertThat(number(result, "distinctValues")).isEqualTo(200);
    assertThat(number(result, "delta", "misses")).isEqualTo(200);
    assertThat(number(result, "delta", "coalesced")).isZero();
  }

  @Test
  void mix_requestsOverFewKeys_loadEachKeyAtMostOnce() throws Exception {
    Map<String, Object> result =
        api.post("api/scenarios/mix", "requests", "2000", "keys", "50").json();
    assertThat(number(result, "keys")).isEqualTo(50);
    assertThat(number(result, "loaderCalls")).isBetween(1L, 50L);
    assertThat(number(result, "delta", "hits") + number(result, "delta", "misses")).isEqualTo(2000);
    assertThat(number(result, "failures")).isZero();
  }

  @Test
  void batchedBurst_requests_areCoalescedIntoBatchCalls() throws Exception {
    long maxBatch = number(api.get("api/config").json(), "maxBatchSize");
    Map<String, Object> result = api.post("api/scenarios/batched-burst", "requests", "500").json();
    assertThat(number(result, "loaderCalls")).isZero();
    assertThat(number(result, "batchedKeys")).isEqualTo(500);
    assertThat(number(result, "batchCalls"))
        .isGreaterThanOrEqualTo((500 + maxBatch - 1) / maxBatch)
        .isLessThanOrEqualTo(250);
    assertThat(number(result, "distinctValues")).isEqualTo(500);
    assertThat(number(result, "delta", "batches")).isEqualTo(number(result, "batchCalls"));
  }

  @Test
  void warmup_twice_secondRunSkipsEveryKey() throws Exception {
    Map<String, Object> first = api.post("api/scenarios/warmup", "requests", "40").json();
    Map<String, Object> second = api.post("api/scenarios/warmup", "requests", "40").json();
    assertThat(number(first, "warmup", "loaded")).isEqualTo(40);
    assertThat(number(first, "loaderCalls")).isEqualTo(40);
    assertThat(number(second, "warmup", "skipped")).isEqualTo(40);
    assertThat(number(second, "warmup", "loaded")).isZero();
    assertThat(number(second, "loaderCalls")).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "one-key       | requests=abc           | requests must be a whole number from 1 to 10000, but was 'abc'.",
        "one-key       | requests=0             | requests must be from 1 to 10000, but was 0.",
        "unique-keys   | requests=10001         | requests must be from 1 to 10000, but was 10001.",
        "warmup        | requests=-5            | requests must be from 1 to 10000, but was -5.",
        "batched-burst | requests=1.5           | requests must be a whole number from 1 to 10000, but was '1.5'.",
        "mix           | requests=10&keys=many  | keys must be a whole number from 1 to 10000, but was 'many'.",
        "one-key       | n=10                   | Unknown field n; accepted: requests.",
        "one-key       | requests=1&requests=2  | requests was given 2 times; give it once.",
        "one-key       | requests=%zz           | The form could not be read",
      })
  void scenario_badFormValue_is400WithAClearMessage(String scenario, String body, String message)
      throws Exception {
    Answer answer = api.postRaw("api/scenarios/" + scenario, body);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).startsWith(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "one-key     | {\"requests\": 5}                 | 5",
        "one-key     | {\"requests\": \"7\"}             | 7",
        "unique-keys | {\"requests\": 1e1}               | 10",
        "mix         | {\"requests\": 6, \"keys\": 2}     | 6",
      })
  void scenario_jsonBody_isHonoured(String scenario, String body, long requests) throws Exception {
    Answer answer =
        api.postTyped("api/scenarios/" + scenario, "application/json; charset=utf-8", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(number(answer.json(), "requests")).isEqualTo(requests);
    assertThat(number(answer.json(), "headline", "of")).isEqualTo(requests);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"request\": 5}               | Unknown field request; accepted: requests.",
        "{\"requests\": 0}              | requests must be from 1 to 10000, but was 0.",
        "{\"requests\": 2.5}            | requests must be a whole number from 1 to 10000, but was '2.5'.",
        "{\"requests\": true}           | requests must be a number or a string, but was true.",
        "{\"requests\": null}           | requests must be a number or a string, but was null.",
        "{\"requests\": [5]}            | requests must be a number or a string, but was an array.",
        "[5]                            | The JSON body must be an object of fields",
        "{\"requests\":                 | The body is not valid JSON",
      })
  void scenario_badJsonBody_is400WithAClearMessage(String body, String message) throws Exception {
    Answer answer = api.postTyped("api/scenarios/one-key", "application/json", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.error()).startsWith(message);
  }

  @Test
  void scenario_jsonFieldAlsoInTheQuery_is400GivenTwice() throws Exception {
    Answer answer =
        api.postTyped("api/scenarios/one-key?requests=3", "application/json", "{\"requests\": 4}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).isEqualTo("requests was given 2 times; give it once.");
  }

  @Test
  void scenario_bodyOfAnotherTypeOrUntyped_is415NotIgnored() throws Exception {
    Answer text = api.postTyped("api/scenarios/one-key", "text/plain", "requests=5");
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.error())
        .isEqualTo(
            "The body's Content-Type is text/plain; send the fields as "
                + "application/x-www-form-urlencoded (requests=1000) or application/json "
                + "({\"requests\": 1000}).");
    Answer untyped = api.postTyped("api/scenarios/one-key", null, "{\"requests\": 5}");
    assertThat(untyped.status()).isEqualTo(415);
    assertThat(untyped.error()).startsWith("The body has no Content-Type;");
    // An empty POST without a type is a run with the defaults, as before.
    Answer empty = api.postTyped("api/scenarios/one-key", null, "");
    assertThat(empty.status()).as(empty.body()).isEqualTo(200);
    assertThat(number(empty.json(), "requests")).isEqualTo(1000);
  }

  @Test
  void scenario_unknownOrWrongMethod_is404Or405() throws Exception {
    Answer unknown = api.post("api/scenarios/stampede");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).contains("no scenario 'stampede'");
    Answer get = api.get("api/scenarios/one-key");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.error()).contains("accepts POST, not GET");
  }

  @Test
  void stats_get_reportsConfigurationAndCounters() throws Exception {
    api.post("api/scenarios/unique-keys", "requests", "10");
    Map<String, Object> stats = api.get("api/stats").json();
    assertThat(map(stats.get("config")))
        .containsKeys("maximumSize", "ttlSeconds", "batchWindowMillis", "maxBatchSize");
    assertThat(number(stats, "stats", "misses")).isGreaterThanOrEqualTo(10);
    assertThat(number(stats, "stats", "size")).isGreaterThanOrEqualTo(10);
  }

  @Test
  void samples_afterAScenario_includeItsRequests() throws Exception {
    long last = lastSeq();
    Map<String, Object> result = api.post("api/scenarios/unique-keys", "requests", "300").json();
    assertThat(number(result, "loaderCalls")).isEqualTo(300);
    // The requests land in one or more samples (a request's miss, its load and its latency may
    // straddle two): read samples until each count adds up to all of them.
    var requests = new AtomicLong();
    var loads = new AtomicLong();
    var measured = new AtomicLong();
    Map<String, Object> sample =
        api.awaitSample(
            last,
            s -> {
              requests.addAndGet(number(s, "requests"));
              loads.addAndGet(number(s, "loads"));
              measured.addAndGet(number(s, "measured"));
              return requests.get() >= 300 && loads.get() >= 300 && measured.get() >= 300;
            });
    assertThat(number(sample, "seq")).isGreaterThan(last);
    assertThat(list(api.get("api/samples?since=" + last).json().get("samples")))
        .extracting(s -> map(s).get("seq"))
        .contains(sample.get("seq"));
  }

  @Test
  void samples_badSince_is400() throws Exception {
    Answer answer = api.get("api/samples?since=yesterday");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).startsWith("since must be a whole number");
    assertThat(api.get("api/samples?from=1").error()).startsWith("Unknown field from");
  }

  @Test
  void events_stream_isServerSentEventsOfSamples() throws Exception {
    Map<String, Object> sample = api.awaitSample(0, s -> true);
    assertThat(sample)
        .containsKeys("seq", "time", "hitRate", "loads", "coalesced", "p50", "p95", "p99", "size");
    Answer badSince = api.get("api/events?since=-1");
    assertThat(badSince.status()).isEqualTo(400);
    assertThat(badSince.error()).startsWith("since must be from 0");
  }

  @Test
  void metrics_get_isPrometheusTextWithTheCacheMeters() throws Exception {
    api.post("api/scenarios/one-key", "requests", "20");
    Answer metrics = api.get("metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body())
        .contains("# TYPE cache_gets_total counter")
        .contains("cache_gets_total{cache=\"products\",result=\"miss\"}")
        .contains("cache_loads_total{cache=\"products\",result=\"success\"}")
        .contains("cache_loads_coalesced_total{cache=\"products\"}")
        .contains("cache_size{cache=\"products\"}")
        .contains("dashboard_scenario_requests_seconds_count{scenario=\"one-key\"}")
        .contains("jvm_threads_live_threads");
  }

  @Test
  void panels_tiers_showsL1AndTheChronicleFileButNoRedis() throws Exception {
    Map<String, Object> tiers = api.get("api/panels/tiers").json();
    assertThat(tiers.get("available")).isEqualTo(true);
    assertThat((String) tiers.get("summary")).contains("Chronicle file", "No Redis", "--redis");
    assertThat(number(tiers, "l1", "maximumSize")).isPositive();
    List<Object> lower = list(tiers.get("tiers"));
    assertThat(lower).extracting(tier -> map(tier).get("tier")).containsExactly("chronicle");
    Map<String, Object> chronicle = map(lower.get(0));
    assertThat(chronicle)
        .containsEntry("state", "open")
        .containsEntry("file", data.toAbsolutePath().resolve("products.cmap").toString());
    assertThat(number(chronicle, "entries")).isNotNegative();
    assertThat(chronicle).containsKeys("hits", "misses", "errors", "writes");
    Answer action = api.post("api/panels/tiers/flush");
    assertThat(action.status()).isEqualTo(404);
    assertThat(action.error()).contains("no action 'flush'");
  }

  @Test
  void panels_agent_listsItsActions() throws Exception {
    Map<String, Object> agent = api.get("api/panels/agent").json();
    assertThat(agent.get("available")).isEqualTo(true);
    assertThat(list(agent.get("actions")))
        .extracting(a -> map(a).get("id"))
        .containsExactly(
            "shopping", "loop-raise", "loop-warn", "loop-short-circuit", "cycle-raise");
    assertThat(map(agent.get("stats")))
        .containsKeys(
            "calls", "hits", "invalidations", "loopDetections", "shortCircuits", "shop cart reads");
  }

  @Test
  void agentShopping_post_cachesReadsAndInvalidatesOnWrite() throws Exception {
    Map<String, Object> result = api.post("api/panels/agent/shopping").json();
    List<String> kinds = kinds(result);
    assertThat(kinds)
        .containsSubsequence("executed", "cached", "executed", "invalidated", "executed");
    assertThat(texts(result).getLast())
        .startsWith("get_cart {\"userId\":\"user-")
        .contains("ran the tool")
        .endsWith("skus=[sku-1]]");
    assertThat(number(result, "session", "calls")).isEqualTo(6);
    assertThat(number(result, "session", "invalidations")).isEqualTo(1);
    assertThat(number(result, "session", "hits")).isGreaterThanOrEqualTo(2);
    assertThat(list(api.get("api/panels/agent").json().get("events"))).isNotEmpty();
  }

  @Test
  void agentLoop_eachReaction_isShownCallByCall() throws Exception {
    Map<String, Object> raise = api.post("api/panels/agent/loop-raise").json();
    assertThat(kinds(raise)).containsExactly("session", "executed", "cached", "cached", "raised");
    assertThat(texts(raise).getLast()).contains("REPEAT at get_cart (observed 4 times)");
    assertThat(number(raise, "session", "loopDetections")).isEqualTo(1);

    Map<String, Object> warn = api.post("api/panels/agent/loop-warn", "calls", "6").json();
    assertThat(kinds(warn))
        .containsExactly(
            "session", "executed", "cached", "cached", "warned", "warned", "warned", "done");
    assertThat(number(warn, "session", "loopDetections")).isEqualTo(3);

    Map<String, Object> shortCircuit = api.post("api/panels/agent/loop-short-circuit").json();
    assertThat(kinds(shortCircuit)).filteredOn("short-circuited"::equals).hasSize(5);
    assertThat(number(shortCircuit, "session", "shortCircuits")).isEqualTo(5);

    Map<String, Object> cycle = api.post("api/panels/agent/cycle-raise").json();
    assertThat(kinds(cycle)).containsExactly("session", "executed", "executed", "cached", "raised");
    assertThat(texts(cycle).getLast()).contains("CYCLE at search_products");
  }

  @Test
  void langChain4jShopping_post_realAgentLoopThroughTheCache() throws Exception {
    Map<String, Object> result = api.post("api/panels/langchain4j/shopping").json();
    assertThat(kinds(result))
        .containsExactly(
            "session",
            "executed",
            "cached",
            "executed",
            "cached",
            "invalidated",
            "executed",
            "answer");
    assertThat(texts(result).get(2))
        .startsWith("searchProducts {\"query\":\"running shoes\"} → served from the cache");
    assertThat(list(result.get("modelRead")).getLast()).asString().endsWith(": [sku-1]");
    assertThat(number(result, "session", "hits")).isEqualTo(2);

    Map<String, Object> loop = api.post("api/panels/langchain4j/loop-raise", "calls", "5").json();
    assertThat(kinds(loop))
        .containsExactly("session", "executed", "cached", "cached", "raised", "raised", "answer");

    Map<String, Object> status = api.get("api/panels/langchain4j").json();
    Map<String, Object> getCart =
        list(status.get("tools")).stream()
            .map(Api::map)
            .filter(t -> "getCart".equals(t.get("tool")))
            .findFirst()
            .orElseThrow();
    assertThat(getCart)
        .containsEntry("calls", 8L)
        .containsEntry("hits", 3L)
        .containsEntry("misses", 3L)
        .containsEntry("raised", 2L)
        .containsEntry("shopCalls", 3L);
    assertThat(api.get("metrics").body())
        .contains("agent_tool_calls_total{cache=\"langchain4j\"} 11.0");
    Answer unknown = api.post("api/panels/langchain4j/dance");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).contains("no action 'dance'");
  }

  @Test
  void agentAction_badInput_is400Or404() throws Exception {
    Answer unknown = api.post("api/panels/agent/dance");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).contains("no action 'dance'").contains("shopping, loop-raise");
    Answer badCalls = api.post("api/panels/agent/loop-warn", "calls", "1000");
    assertThat(badCalls.status()).isEqualTo(400);
    assertThat(badCalls.error()).isEqualTo("calls must be from 1 to 100, but was 1000.");
    Answer badField = api.post("api/panels/agent/shopping", "user", "me");
    assertThat(badField.status()).isEqualTo(400);
    assertThat(badField.error()).isEqualTo("Unknown field user; accepted: calls.");
    assertThat(api.get("api/panels/agent/shopping").status()).isEqualTo(405);
  }

  @Test
  void freshness_databaseDown_post_comparesStaleIfErrorOnAndOff() throws Exception {
    Map<String, Object> empty = api.get("api/panels/freshness").json();
    assertThat(list(empty.get("actions")))
        .extracting(a -> map(a).get("id"))
        .containsExactly("hot-keys", "database-down");
    assertThat(list(empty.get("tables"))).isEmpty();

    Map<String, Object> result =
        api.post("api/panels/freshness/database-down", "requests", "256").json();
    assertThat(number(result, "on", "errors")).isZero();
    assertThat(number(result, "on", "staleServed")).isEqualTo(256);
    assertThat(number(result, "off", "errors")).isEqualTo(256);

    Map<String, Object> status = api.get("api/panels/freshness").json();
    Map<String, Object> table = map(list(status.get("tables")).getFirst());
    assertThat(table.get("id")).isEqualTo("database-down");
    assertThat(list(table.get("columns"))).containsExactly("", "staleIfError 60 s", "TTL only");
    assertThat(list(table.get("rows")))
        .anySatisfy(
            row -> assertThat(list(row)).containsExactly("errors seen by callers", 0L, 256L));
    assertThat(api.post("api/panels/freshness/hot-keys", "seconds", "0").error())
        .contains("seconds");
    assertThat(api.post("api/panels/freshness/nap").status()).isEqualTo(404);
  }

  @Test
  void panels_unknownPanel_is404() throws Exception {
    Answer answer = api.get("api/panels/weather");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error()).contains("no panel 'weather'").contains("tiers, agent");
    assertThat(api.get("api/panels").status()).isEqualTo(404);
  }

  @Test
  void api_unknownEndpoint_is404Json() throws Exception {
    Answer answer = api.get("api/teapot");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error()).contains("/api/teapot");
    assertThat(api.get("api/info/extra").status()).isEqualTo(404);
  }

  @Test
  void post_fromAnotherSite_is403() throws Exception {
    Answer answer =
        api.send(
            HttpRequest.newBuilder(dashboard.uri().resolve("api/scenarios/one-key"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("requests=5")));
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.error()).contains("another site");
    Answer sameOrigin =
        api.send(
            HttpRequest.newBuilder(dashboard.uri().resolve("api/scenarios/one-key"))
                .header("Origin", "http://" + dashboard.uri().getAuthority())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("requests=5")));
    assertThat(sameOrigin.status()).isEqualTo(200);
  }

  private static List<String> kinds(Map<String, Object> result) {
    return list(result.get("events")).stream().map(e -> (String) map(e).get("kind")).toList();
  }

  private static List<String> texts(Map<String, Object> result) {
    return list(result.get("events")).stream().map(e -> (String) map(e).get("text")).toList();
  }

  private static long lastSeq() throws Exception {
    List<Object> samples = list(api.get("api/samples").json().get("samples"));
    return samples.isEmpty() ? 0 : number(map(samples.getLast()), "seq");
  }
}
