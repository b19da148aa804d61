package dev.loomcache.dashboard.internal;

import java.util.Map;

/**
 * A part of the page backed by a module that may be absent from the build (the agent panel, the
 * tiers panel): {@code GET /api/panels/{id}} shows its status and {@code POST
 * /api/panels/{id}/{action}} runs one of its actions.
 */
public interface Panel extends AutoCloseable {

  /** The id in URLs: {@code "agent"} or {@code "tiers"}. */
  String id();

  /**
   * The panel's current state as JSON-ready fields; always holds {@code "available"} (a boolean)
   * and, when it is false, {@code "message"} saying what the panel needs. Never blocks for long.
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
}
