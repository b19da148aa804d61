package dev.loomcache.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The load patterns the page can run, each on the server, on virtual threads. */
public enum Scenario {
  ONE_KEY(
      "one-key",
      "N concurrent gets of one key",
      "Invalidates one key, then N virtual threads ask for it at the same moment: one of them "
          + "loads, the others wait for that load (herd protection).",
      1_000),
  UNIQUE_KEYS(
      "unique-keys",
      "N unique keys",
      "N virtual threads each ask for a key nobody asked for before: N loads, run at once rather "
          + "than one after another; the result shows the elapsed time beside the time the loads "
          + "took in all.",
      1_000),
  MIX(
      "mix",
      "A mix",
      "N requests over K keys, skewed towards a few hot keys, sent in "
          + Scenario.MIX_WAVES
          + " waves one after another: the first wave loads the keys it asks for while other "
          + "callers wait for those loads; later waves mostly hit.",
      2_000),
  BATCHED_BURST(
      "batched-burst",
      "A batched burst",
      "N virtual threads ask a Batcher for new keys at once: their misses are coalesced into a "
          + "few batch loader calls of at most the configured batch size.",
      1_000),
  WARMUP(
      "warmup",
      "A warmup",
      "Cache.warmup loads N catalogue keys, a bounded number at a time; run it twice and the "
          + "second run skips every key already present.",
      200);

  /** The most requests a scenario may make: the 10,000 virtual threads of the design brief. */
  public static final int MAX_REQUESTS = 10_000;

  /** The most distinct keys the mix may spread its requests over. */
  public static final int MAX_KEYS = 10_000;

  static final int DEFAULT_MIX_KEYS = 100;

  /**
   * The mix sends its requests in this many waves, each released when the one before has finished,
   * so that later waves find what earlier ones loaded: released all at once, every request would
   * arrive before any load had finished and none could hit.
   */
  static final int MIX_WAVES = 4;

  private final String id;
  private final String title;
  private final String description;
  private final int defaultRequests;

  Scenario(String id, String title, String description, int defaultRequests) {
    this.id = id;
    this.title = title;
    this.description = description;
    this.defaultRequests = defaultRequests;
  }

  /** The scenario whose id (as in {@code /api/scenarios/{id}}) is {@code id}, if any. */
  public static Optional<Scenario> byId(String id) {
    for (Scenario scenario : values()) {
      if (scenario.id.equals(id)) {
        return Optional.of(scenario);
      }
    }
    return Optional.empty();
  }

  /** The id used in URLs and by the page. */
  public String id() {
    return id;
  }

  /** A short title. */
  public String title() {
    return title;
  }

  /** What the scenario's N counts: requests, or for the warmup, keys. */
  public String unit() {
    return this == WARMUP ? "keys" : "requests";
  }

  /** The form fields this scenario reads. */
  public Set<String> fields() {
    return this == MIX ? Set.of("requests", "keys") : Set.of("requests");
  }

  /** How many requests the scenario makes when the form does not say. */
  public int defaultRequests() {
    return defaultRequests;
  }

  /** The scenario as JSON-ready fields, for the page to list. */
  public Map<String, Object> toJson() {
    var json = new LinkedHashMap<String, Object>();
    json.put("id", id);
    json.put("title", title);
    json.put("description", description);
    json.put("defaultRequests", defaultRequests);
    json.put("unit", unit());
    json.put("maxRequests", MAX_REQUESTS);
    if (this == MIX) {
      json.put("defaultKeys", DEFAULT_MIX_KEYS);
      json.put("maxKeys", MAX_KEYS);
    }
    return json;
  }
}
