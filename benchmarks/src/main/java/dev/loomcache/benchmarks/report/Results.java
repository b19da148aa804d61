package dev.loomcache.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything one suite run measured: facts about the run (date, machine, JDK, versions), the
 * measurements, and the benchmarks that failed to run. Not thread-safe: the suite fills it from one
 * thread.
 */
public final class Results {
  private final Map<String, String> meta = new LinkedHashMap<>();
  private final List<Measurement> measurements = new ArrayList<>();
  private final Map<String, String> failures = new LinkedHashMap<>();

  /** Records a fact about the run, e.g. {@code "jdk"}. */
  public Results meta(String key, String value) {
    meta.put(
        requireNonNull(key, "key must not be null"),
        requireNonNull(value, "value must not be null"));
    return this;
  }

  /** Adds a measurement. */
  public Results add(Measurement measurement) {
    measurements.add(requireNonNull(measurement, "measurement must not be null"));
    return this;
  }

  /** Records that {@code benchmark} (or one of its subjects) failed to run, and why. */
  public Results failed(String what, String why) {
    failures.put(
        requireNonNull(what, "what must not be null"), requireNonNull(why, "why must not be null"));
    return this;
  }

  /** The facts about the run, in insertion order. */
  public Map<String, String> meta() {
    return new LinkedHashMap<>(meta);
  }

  /** The benchmarks that failed to run, with why. */
  public Map<String, String> failures() {
    return new LinkedHashMap<>(failures);
  }

  /** The measurements of {@code benchmark}, in the order they were added. */
  public List<Measurement> of(String benchmark) {
    return measurements.stream().filter(m -> m.benchmark().equals(benchmark)).toList();
  }

  /** The measurement of subject {@code id} in {@code benchmark}, or null. */
  public @Nullable Measurement find(String benchmark, String id) {
    for (Measurement m : measurements) {
      if (m.benchmark().equals(benchmark) && m.id().equals(id)) {
        return m;
      }
    }
    return null;
  }

  /** A figure of subject {@code id} in {@code benchmark}, or NaN if absent. */
  public double figure(String benchmark, String id, String name) {
    Measurement m = find(benchmark, id);
    return m == null ? Double.NaN : m.figure(name);
  }

  /** The whole run as a JSON-ready map. */
  public Map<String, Object> toJson() {
    var json = new LinkedHashMap<String, Object>();
    json.put("meta", new LinkedHashMap<>(meta));
    json.put("failures", new LinkedHashMap<>(failures));
    json.put("measurements", measurements.stream().map(Measurement::toJson).toList());
    return json;
  }
}
