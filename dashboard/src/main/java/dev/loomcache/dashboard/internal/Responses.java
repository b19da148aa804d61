package dev.loomcache.dashboard.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.util.ajax.JSON;

/** Writes the dashboard's responses: JSON bodies and JSON errors, never a stack trace. */
final class Responses {
  private Responses() {}

  /** Serialises maps, lists, strings, numbers, booleans and nulls. */
  static String toJson(Object body) {
    return new JSON().toJSON(body);
  }

  /** Answers with {@code status} and {@code body} as JSON; blocks while the body is written. */
  static void json(HttpServletResponse response, int status, Object body) throws IOException {
    byte[] bytes = toJson(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json;charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** Answers with {@code status} and {@code {"error": message}}, the shape the page shows. */
  static void error(HttpServletResponse response, int status, String message) throws IOException {
    json(response, status, Map.of("error", message));
  }
}
