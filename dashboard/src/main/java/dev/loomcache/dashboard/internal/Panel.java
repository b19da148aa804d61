package dev.loomcache.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A part of the page backed by a module that may be absent from the build (the agent panel, the
 * tiers panel): {@code GET /api/panels/{id}} shows its status and
 * {@code POST /api/panels/{id}/{action}} runs one of its actions.
 */
public interface Panel extends AutoCloseable {

  /** The id in URLs: {@code "agent"} or {@code "tiers"}. */
  String id();

  /**
   * The panel's current state as JSON-ready fields; always holds {@code "available"} (a boolean) and,
   * when it is false, {@code "message"} saying what the panel needs. Never blocks for long.
   */
  Map<String, Object> status();

  /**
   * Runs {@code action} with the fields of {@code form} and returns what the page shows; may park
   * the calling thread while the action runs.
   *
   * @throws ApiException 404 for an unknown action, 400 for a bad form value, 409 if the action
   *     cannot run now, 503 if the panel is not available in this build
   */
  Map<String, Object> perform(String action, FormValues form);

  /** Stops whatever the panel runs in the background; idempotent. */
  @Override
  void close();

  /** A panel whose module is not in this build: its status explains, its actions answer 503. */
  static Panel unavailable(String id, String message) {
    return new Panel() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Map<String, Object> status() {
        var json = new LinkedHashMap<String, Object>();
        json.put("available", false);
        json.put("message", message);
        return json;
      }

      @Override
      public Map<String, Object> perform(String action, FormValues form) {
        throw new ApiException(503, message);
      }

      @Override
      public void close() {}
    };
  }
}
