package dev.loomcache.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {
  @TempDir private Path data;

  @Test
  void builder_setterTwice_throwsNamingTheOldValue() {
    assertThatThrownBy(() -> Dashboard.newBuilder().port(1).port(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port was already set to 1");
    assertThatThrownBy(() -> Dashboard.newBuilder().host("a").host("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("host was already set to a");
    assertThatThrownBy(() ->
            Dashboard.newBuilder()
                .sampleInterval(Duration.ofSeconds(1))
                .sampleInterval(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sampleInterval was already set to PT1S");
  }

  @Test
  void builder_badArguments_throwAtOnce() {
    assertThatThrownBy(() -> Dashboard.newBuilder().port(65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be from 0 to 65535, but was 65536");
    assertThatThrownBy(() -> Dashboard.newBuilder().host(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must not be blank");
    assertThatThrownBy(() -> Dashboard.newBuilder().sampleInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dashboard.newBuilder().host(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("host must not be null");
  }

  @Test
  void start_portInUse_throwsUncheckedIoException() throws Exception {
    try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> Dashboard.newBuilder().port(taken.getLocalPort()).dataDirectory(data).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(String.valueOf(taken.getLocalPort()));
    }
  }

  @Test
  void close_withAnEventStreamOpen_endsTheStreamAndIsIdempotent() throws Exception {
    Dashboard dashboard =
        Dashboard.newBuilder()
            .port(0)
            .sampleInterval(Duration.ofMillis(50))
            .dataDirectory(data)
            .start();
    URI events = dashboard.uri().resolve("api/events");
    var firstLine = new CountDownLatch(1);
    var client = HttpClient.newHttpClient();
    CompletableFuture<Long> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try (Stream<String> lines =
                  client
                      .send(HttpRequest.newBuilder(events).build(), BodyHandlers.ofLines())
                      .body()) {
                return lines.peek(line -> firstLine.countDown()).count();
              } catch (Exception e) {
                // The server going away may also surface as an I/O error: the stream ended either
                // way.
                return -1L;
              }
            },
            runnable -> Thread.ofVirtual().start(runnable));
    assertThat(firstLine.await(10, TimeUnit.SECONDS)).isTrue();

    dashboard.close();
    dashboard.close();

    assertThat(reader.get(20, TimeUnit.SECONDS)).isNotZero();
    assertThatThrownBy(() ->
            client.send(HttpRequest.newBuilder(dashboard.uri()).build(), BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }
}
