package dev.loomcache.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.eclipse.jetty.util.ajax.JSON;
import org.jspecify.annotations.Nullable;

/** Test support: a plain HTTP client for the dashboard, and JSON read with Jetty's parser. */
final class Api {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;

  Api(URI base) {
    this.base = base;
  }

  /** One answer: status, content type and body. */
  record Answer(int status, String contentType, String body) {
    Map<String, Object> json() {
      assertThat(contentType).as("content type of " + body).startsWith("application/json");
      return map(new JSON().fromJSON(body));
    }

    /** The error message of a refusal, checking it is JSON and carries no stack trace. */
    String error() {
      String error = (String) json().get("error");
      assertThat(error).as("error message in " + body).isNotBlank();
      assertThat(body)
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("at dev.");
      return error;
    }
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String path, String... fieldsAndValues) throws IOException, InterruptedException {
    return postRaw(path, form(fieldsAndValues));
  }

  Answer postRaw(String path, String body) throws IOException, InterruptedException {
    return postTyped(path, "application/x-www-form-urlencoded", body);
  }

  /** Posts {@code body} as {@code contentType}; a null type sends no Content-Type header. */
  Answer postTyped(String path, @Nullable String contentType, String body)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(request.timeout(Duration.ofSeconds(50)).build(), BodyHandlers.ofString());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  /**
   * Reads the event stream from {@code since} until a sample matches {@code until}, and returns it;
   * blocks on the stream (no polling), bounded by the test timeout.
   */
  Map<String, Object> awaitSample(long since, Predicate<Map<String, Object>> until)
      throws IOException, InterruptedException {
    HttpResponse<Stream<String>> response =
        client.send(
            HttpRequest.newBuilder(base.resolve("api/events?since=" + since)).GET().build(),
            BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    try (Stream<String> lines = response.body()) {
      return lines
          .filter(line -> line.startsWith("data: "))
          .map(line -> map(new JSON().fromJSON(line.substring(6))))
          .filter(until)
          .findFirst()
          .orElseThrow(() -> new AssertionError("the event stream ended without such a sample"));
    }
  }

  static String form(String... fieldsAndValues) {
    var joiner = new StringJoiner("&");
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      joiner.add(
          URLEncoder.encode(fieldsAndValues[i], StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(fieldsAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return joiner.toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object json) {
    assertThat(json).isInstanceOf(Map.class);
    return (Map<String, Object>) json;
  }

  static List<Object> list(Object json) {
    assertThat(json).isInstanceOf(Object[].class);
    return Arrays.asList((Object[]) json);
  }

  static long number(Map<String, Object> json, String... path) {
    Object value = json;
    for (String key : path) {
      value = map(value).get(key);
    }
    assertThat(value).as(String.join(".", path)).isInstanceOf(Number.class);
    return ((Number) value).longValue();
  }
}
