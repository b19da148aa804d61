package dev.loomcache.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.spring.LoomcacheCache;
import dev.loomcache.spring.LoomcacheCacheManager;
import dev.loomcache.testsupport.Polling;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.CacheManager;

/**
 * A real Boot web app (Tomcat on a free loopback port, virtual threads) whose caching goes through
 * the starter: every call is a real HTTP request or a call on the real proxied bean.
 */
@SpringBootTest(
    classes = BookApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "server.tomcat.accept-count=2000",
      "spring.threads.virtual.enabled=true",
      "loomcache.cache.spec=maximumSize=1000,defaultTtl=10m",
      "loomcache.cache.specs.books=maximumSize=100",
      "management.endpoints.web.exposure.include=caches,metrics",
    })
class CachingWebAppTest {
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @LocalServerPort int port;

  @Autowired BookService books;

  @Autowired CacheManager cacheManager;

  @AfterAll
  static void closeClient() {
    http.close();
  }

  @BeforeEach
  void emptyCaches() {
    cacheManager.getCacheNames().forEach(name -> cacheManager.getCache(name).clear());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  private LoomcacheCache loomcache(String name) {
    return (LoomcacheCache) cacheManager.getCache(name);
  }

  @Test
  void cacheManager_isTheStartersLoomcacheManager() {
    assertThat(cacheManager).isInstanceOf(LoomcacheCacheManager.class);
  }

  @Test
  void syncCacheable_thousandConcurrentRequests_invokeTheMethodOnce() throws Exception {
    int requests = 1_000;
    int before = books.calls("title");
    var gate = new CountDownLatch(1);
    books.holdSlowCallsUntil(gate);
    long missesBefore = loomcache("books").getNativeCache().stats().missCount();
    var responses = new ArrayList<CompletableFuture<HttpResponse<String>>>();
    try {
      for (int i = 0; i < requests; i++) {
        responses.add(
            http.sendAsync(
                request("/books/1").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      // Every request has missed L1 (one runs the method, the rest wait for it) before it returns.
      Polling.awaitUntil(
          Duration.ofSeconds(60),
          "all requests reach the cache",
          () -> loomcache("books").getNativeCache().stats().missCount() - missesBefore == requests);
    } finally {
      gate.countDown();
      books.holdSlowCallsUntil(new CountDownLatch(0));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).isEqualTo("Dune");
    }
    assertThat(books.calls("title") - before).isEqualTo(1);
    assertThat(loomcache("books").getNativeCache().stats().coalescedCount())
        .isGreaterThanOrEqualTo(requests - 1);
  }

  @Test
  void checkedException_reachesTheControllerAsThrown_andIsNotCached() throws Exception {
    int before = books.calls("title");

    HttpResponse<String> first = send(request("/books/404"));
    HttpResponse<String> second = send(request("/books/404"));

    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(first.body()).isEqualTo("BookNotFoundException: no book 404");
    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(books.calls("title") - before).isEqualTo(2);
  }

  @Test
  void cacheEvict_andCachePut_overHttp() throws Exception {
    assertThat(send(request("/books/2")).body()).isEqualTo("Solaris");
    books.rename("2", "Solaris (2nd ed.)");
    assertThat(send(request("/books/2")).body()).as("still cached").isEqualTo("Solaris");

    assertThat(send(request("/books/2").DELETE()).statusCode()).isEqualTo(204);
    assertThat(send(request("/books/2")).body()).as("evicted").isEqualTo("Solaris (2nd ed.)");

    int before = books.calls("title");
    assertThat(
            send(request("/books/2").PUT(HttpRequest.BodyPublishers.ofString("Solaris!"))).body())
        .isEqualTo("Solaris!");
    assertThat(send(request("/books/2")).body()).as("put replaced it").isEqualTo("Solaris!");
    assertThat(books.calls("title")).isEqualTo(before);
  }

  @Test
  void completableFutureCacheable_goesThroughRetrieve_singleFlight() throws Exception {
    int before = books.calls("titleLater");
    var pending = new CompletableFuture<String>();
    books.answerLater("3", pending);
    var results = new ArrayList<CompletableFuture<String>>();
    for (int i = 0; i < 200; i++) {
      results.add(books.titleLater("3"));
    }
    assertThat(results).allSatisfy(result -> assertThat(result).isNotDone());
    pending.complete("Ubik");

    for (CompletableFuture<String> result : results) {
      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("Ubik");
    }
    assertThat(books.calls("titleLater") - before).isEqualTo(1);
    assertThat(books.titleLater("3").get(30, TimeUnit.SECONDS)).isEqualTo("Ubik");
    assertThat(books.calls("titleLater") - before).isEqualTo(1);
    assertThat(loomcache("futures").get("3").get()).isEqualTo("Ubik");
  }

  @Test
  void completableFutureCacheable_failure_arrivesInTheFuture_andIsNotCached() throws Exception {
    var pending = new CompletableFuture<String>();
    books.answerLater("9", pending);
    CompletableFuture<String> result = books.titleLater("9");
    pending.completeExceptionally(new IllegalStateException("backend down"));

    assertThat(result)
        .failsWithin(Duration.ofSeconds(30))
        .withThrowableThat()
        .havingRootCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessage("backend down");
    assertThat(loomcache("futures").get("9")).isNull();
  }

  @Test
  void condition_andUnless_behaveAsSpringDocuments() {
    books.rename("c1", "Contact");
    books.rename("x1", "Xenocide");
    books.rename("c2", "draft: Cosmos");
    int before = books.calls("conditional");

    books.conditional("c1");
    books.conditional("c1"); // condition true, result kept: the second call is a hit
    books.conditional("x1");
    books.conditional("x1"); // condition false: never cached
    books.conditional("c2");
    books.conditional("c2"); // unless true: never cached
    books.conditional("c-missing");
    books.conditional("c-missing"); // null result: unless true

    assertThat(books.calls("conditional") - before).isEqualTo(7);
    assertThat(loomcache("conditional").get("c1").get()).isEqualTo("Contact");
    assertThat(loomcache("conditional").get("x1")).isNull();
    assertThat(loomcache("conditional").get("c2")).isNull();
  }

  @Test
  void actuator_listsTheCaches_andTheirStandardMeters() throws Exception {
    send(request("/books/1"));
    send(request("/books/1"));

    HttpResponse<String> caches = send(request("/actuator/caches"));
    assertThat(caches.statusCode()).isEqualTo(200);
    // The endpoint shows each cache's native cache: Loomcache's own.
    assertThat(caches.body())
        .contains("\"cacheManager\":{\"caches\":{")
        .contains("\"books\":{\"target\":\"dev.loomcache.");

    HttpResponse<String> hits =
        send(request("/actuator/metrics/cache.gets?tag=cache:books&tag=result:hit"));
    assertThat(hits.statusCode()).isEqualTo(200);
    assertThat(hits.body()).contains("\"name\":\"cache.gets\"").contains("cache.manager");
    assertThat(measurement(hits.body())).isPositive();
    HttpResponse<String> coalesced =
        send(request("/actuator/metrics/cache.loads.coalesced?tag=cache:books"));
    assertThat(coalesced.statusCode()).isEqualTo(200);
  }

  private static double measurement(String body) {
    int value = body.indexOf("\"value\":");
    int end = body.indexOf('}', value);
    return Double.parseDouble(body.substring(value + "\"value\":".length(), end).strip());
  }
}
