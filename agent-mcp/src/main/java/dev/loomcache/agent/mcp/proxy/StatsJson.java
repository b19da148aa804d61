package dev.loomcache.agent.mcp.proxy;

import dev.loomcache.agent.AgentStats;
import dev.loomcache.agent.LoopKind;

/** Writes {@link AgentStats} as JSON for the proxy's statistics resource. */
final class StatsJson {
  private StatsJson() {}

  static void append(StringBuilder json, AgentStats stats) {
    json.append("{\"calls\":")
        .append(stats.calls())
        .append(",\"hits\":")
        .append(stats.hits())
        .append(",\"misses\":")
        .append(stats.misses())
        .append(",\"hitRate\":")
        .append(stats.hitRate())
        .append(",\"invalidations\":")
        .append(stats.invalidations())
        .append(",\"shortCircuits\":")
        .append(stats.shortCircuits())
        .append(",\"loopDetections\":{");
    LoopKind[] kinds = LoopKind.values();
    for (int i = 0; i < kinds.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append('"').append(kinds[i].name()).append("\":").append(stats.loopDetections(kinds[i]));
    }
    json.append("}}");
  }

  /** A JSON string: quotes, backslashes and control characters escaped. */
  static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
