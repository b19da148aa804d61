package dev.loomcache.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one subject (a library, or one way of calling it) scored in one benchmark: named figures
 * (numbers) and notes (text), plus how the subject was configured.
 *
 * @param benchmark the benchmark's id, e.g. {@code "hitPath"}
 * @param id the subject's stable id within the benchmark, e.g. {@code "caffeine_get"}
 * @param subject the subject's name in the report, e.g. {@code "Caffeine get"}
 * @param configuration how the subject was built and called
 * @param figures the measured numbers, by name, e.g. {@code "threads1.opsPerSecond"}
 * @param notes measured facts that are not numbers, by name
 */
public record Measurement(
    String benchmark,
    String id,
    String subject,
    String configuration,
    Map<String, Double> figures,
    Map<String, String> notes) {

  public Measurement {
    requireNonNull(benchmark, "benchmark must not be null");
    requireNonNull(id, "id must not be null");
    requireNonNull(subject, "subject must not be null");
    requireNonNull(configuration, "configuration must not be null");
    figures = Map.copyOf(new LinkedHashMap<>(figures));
    notes = Map.copyOf(notes);
  }

  /** The figure named {@code name}, or NaN if it was not measured. */
  public double figure(String name) {
    Double value = figures.get(name);
    return value == null ? Double.NaN : value;
  }

  /** The note named {@code name}, or an empty string. */
  public String note(String name) {
    return notes.getOrDefault(name, "");
  }

  /** The figures and notes as a JSON-ready map, keeping a stable (sorted) order. */
  Map<String, Object> toJson() {
    var json = new LinkedHashMap<String, Object>();
    json.put("benchmark", benchmark);
    json.put("id", id);
    json.put("subject", subject);
    json.put("configuration", configuration);
    json.put("figures", new TreeMap<>(figures));
    json.put("notes", new TreeMap<>(notes));
    return json;
  }
}
