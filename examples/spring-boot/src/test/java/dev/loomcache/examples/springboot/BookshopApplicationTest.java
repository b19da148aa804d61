package dev.loomcache.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example as a user runs it: Tomcat on a free loopback port, a real redis-server. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.tomcat.accept-count=1000", "bookshop.latency=300ms"})
class BookshopApplicationTest {
  private static final RedisServer redis = RedisServer.start();
  private static final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Autowired BookRepository repository;

  @DynamicPropertySource
  static void redisUri(DynamicPropertyRegistry properties) {
    properties.add(
        "loomcache.redis.uri",
        () ->
            "redis://127.0.0.1:"
                + redis.port()
                + "?keyPrefix=bookshop:&commandTimeout=500ms&poolSize=32");
  }

  @AfterAll
  static void stop() {
    http.close();
    redis.close();
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void stampede_onOneBook_isOneRepositoryLookup_storedInRedis() throws Exception {
    long before = repository.lookups();
    var responses = new ArrayList<CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 300; i++) {
      responses.add(get("/books/9780441013593"));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("\"title\":\"Dune\"");
    }

    // The requests arrive over the lookup's 300 ms; any that came after it found the book cached.
    assertThat(repository.lookups() - before).isEqualTo(1);
    try (var jedis = redis.connect()) {
      assertThat(jedis.exists("bookshop:books:s:9780441013593")).isTrue();
    }
  }

  @Test
  void unknownBook_is404_andTheNullIsCached() throws Exception {
    long before = repository.lookups();

    assertThat(get("/books/0000").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
    assertThat(get("/books/0000").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(404);

    assertThat(repository.lookups() - before).isEqualTo(1);
    try (var jedis = redis.connect()) {
      assertThat(jedis.exists("bookshop:books:s:0000")).isTrue();
    }
  }
}
