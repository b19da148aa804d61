package dev.loomcache.agent.mcp.proxy;

import static java.util.Objects.requireNonNull;

import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.Scope;
import dev.loomcache.agent.mcp.McpAgentTools;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of a {@link McpCacheProxy}, read from a properties file: which upstream tools
 * read or write which resources, their scope and TTL, the loop policy of every client session, the
 * cache size and the upstream timeout. An immutable value.
 *
 * <pre>
 * read.get_cart = cart              # a read tool and the resources its results depend on
 * write.add_to_cart = cart          # a write tool and the resources it changes
 * scope.get_cart = SESSION          # GLOBAL (default) or SESSION
 * ttl.search_products = 5m          # read tools only; 500ms, 30s, 5m, 2h, 1d or ISO-8601
 * loop.maxToolRepeats = 5           # and maxCyclePeriod, cycleRepetitions, maxFailures,
 * loop.onLoop = RAISE               #   maxExecutionDepth; onLoop RAISE, WARN or SHORT_CIRCUIT
 * loop.enabled = true               # false: no loop detection
 * loop.hideBlockedTools = true      # hide tools stopped by the detector from tools/list
 * cache.maximumSize = 10000
 * upstream.timeout = 30s
 * </pre>
 *
 * <p>Tools named by neither {@code read.} nor {@code write.} are forwarded on every call, and
 * checked for loops.
 */
public final class ProxyConfig {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final List<String> LOOP_KEYS =
      List.of(
          "maxToolRepeats",
          "maxCyclePeriod",
          "cycleRepetitions",
          "maxFailures",
          "maxExecutionDepth",
          "onLoop",
          "enabled",
          "hideBlockedTools");
  private static final String VALID_KEYS =
      "read.<tool>, write.<tool>, scope.<tool>, ttl.<tool>, "
          + "loop.{"
          + String.join(",", LOOP_KEYS)
          + "}, cache.maximumSize, upstream.timeout";

  private final Map<String, ToolRule> tools;
  private final LoopPolicy loopPolicy;
  private final boolean hideBlockedTools;
  private final long maximumSize;
  private final Duration upstreamTimeout;

  private ProxyConfig(
      Map<String, ToolRule> tools,
      LoopPolicy loopPolicy,
      boolean hideBlockedTools,
      long maximumSize,
      Duration upstreamTimeout) {
    this.tools = tools;
    this.loopPolicy = loopPolicy;
    this.hideBlockedTools = hideBlockedTools;
    this.maximumSize = maximumSize;
    this.upstreamTimeout = upstreamTimeout;
  }

  /**
   * Reads the configuration from a properties file (UTF-8).
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if a key is unknown or a value invalid; the message names it
   */
  public static ProxyConfig load(Path file) throws IOException {
    requireNonNull(file, "file must not be null");
    var properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return parse(properties);
  }

  /**
   * Reads the configuration from {@code properties}.
   *
   * @throws IllegalArgumentException if a key is unknown or a value invalid; the message names it
   */
  public static ProxyConfig parse(Properties properties) {
    requireNonNull(properties, "properties must not be null");
    var sorted = new TreeMap<String, String>();
    properties
        .stringPropertyNames()
        .forEach(key -> sorted.put(key.strip(), properties.getProperty(key).strip()));

    var tools = new TreeMap<String, ToolRule>();
    var scopes = new TreeMap<String, Scope>();
    var ttls = new TreeMap<String, Duration>();
    LoopPolicy loop = LoopPolicy.defaults();
    boolean loopEnabled = true;
    boolean hide = true;
    long maximumSize = 10_000;
    Duration timeout = Duration.ofSeconds(30);

    for (var entry : sorted.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      int dot = key.indexOf('.');
      String prefix = dot < 0 ? key : key.substring(0, dot);
      String name = dot < 0 ? "" : key.substring(dot + 1);
      if (name.isBlank() && !prefix.equals(key)) {
        throw invalid(key, "names no tool or setting");
      }
      switch (prefix) {
        case "read", "write" -> {
          ToolRule rule = new ToolRule(prefix.equals("write"), resources(key, value));
          if (tools.putIfAbsent(name, rule) != null) {
            throw invalid(key, "tool '" + name + "' is configured as both read and write");
          }
        }
        case "scope" -> scopes.put(name, parseEnum(Scope.class, key, value));
        case "ttl" -> ttls.put(name, parseDuration(key, value));
        case "loop" -> {
          switch (name) {
            case "maxToolRepeats" -> loop = loop.maxToolRepeats(parseInt(key, value));
            case "maxCyclePeriod" -> loop = loop.maxCyclePeriod(parseInt(key, value));
            case "cycleRepetitions" -> loop = loop.cycleRepetitions(parseInt(key, value));
            case "maxFailures" -> loop = loop.maxFailures(parseInt(key, value));
            case "maxExecutionDepth" -> loop = loop.maxExecutionDepth(parseInt(key, value));
            case "onLoop" -> loop = loop.onLoop(parseEnum(OnLoop.class, key, value));
            case "enabled" -> loopEnabled = parseBoolean(key, value);
            case "hideBlockedTools" -> hide = parseBoolean(key, value);
            default -> throw unknown(key);
          }
        }
        case "cache" -> {
          if (!name.equals("maximumSize")) {
            throw unknown(key);
          }
          maximumSize = parseInt(key, value);
          if (maximumSize < 0) {
            throw invalid(key, "must not be negative");
          }
        }
        case "upstream" -> {
          if (!name.equals("timeout")) {
            throw unknown(key);
          }
          timeout = parseDuration(key, value);
          if (timeout.isZero()) {
            throw invalid(key, "must be positive");
          }
        }
        default -> throw unknown(key);
      }
    }
    for (var scope : scopes.entrySet()) {
      ToolRule rule = rule(tools, "scope." + scope.getKey(), scope.getKey());
      tools.put(scope.getKey(), rule.withScope(scope.getValue()));
    }
    for (var ttl : ttls.entrySet()) {
      ToolRule rule = rule(tools, "ttl." + ttl.getKey(), ttl.getKey());
      if (rule.write) {
        throw invalid("ttl." + ttl.getKey(), "write tools have no TTL");
      }
      tools.put(ttl.getKey(), rule.withTtl(ttl.getValue()));
    }
    LoopPolicy policy = loopEnabled ? loop : LoopPolicy.disabled();
    return new ProxyConfig(Map.copyOf(tools), policy, hide, maximumSize, timeout);
  }

  /** The loop policy of every client session. */
  public LoopPolicy loopPolicy() {
    return loopPolicy;
  }

  /** Whether tools stopped by the loop detector are hidden from {@code tools/list}. */
  public boolean hideBlockedTools() {
    return hideBlockedTools;
  }

  /** The maximum number of cached results. */
  public long maximumSize() {
    return maximumSize;
  }

  /** How long a call of the upstream server may take before the client gets a tool error. */
  public Duration upstreamTimeout() {
    return upstreamTimeout;
  }

  /** The names of the configured read tools, sorted. */
  public List<String> readTools() {
    return tools.entrySet().stream()
        .filter(e -> !e.getValue().write)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** The names of the configured write tools, sorted. */
  public List<String> writeTools() {
    return tools.entrySet().stream()
        .filter(e -> e.getValue().write)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Adds the configured tools and the loop policy to {@code builder}. */
  McpAgentTools.Builder configure(McpAgentTools.Builder builder) {
    for (var entry : new TreeMap<>(tools).entrySet()) {
      ToolRule rule = entry.getValue();
      if (rule.write) {
        builder.writeTool(
            entry.getKey(),
            write -> {
              if (rule.resources.length > 0) {
                write.invalidates(rule.resources);
              }
              if (rule.scope != null) {
                write.scope(rule.scope);
              }
            });
      } else {
        builder.readTool(
            entry.getKey(),
            read -> {
              if (rule.resources.length > 0) {
                read.resource(rule.resources);
              }
              if (rule.scope != null) {
                read.scope(rule.scope);
              }
              if (rule.ttl != null) {
                read.ttl(rule.ttl);
              }
            });
      }
    }
    return builder.loopPolicy(loopPolicy);
  }

  @Override
  public String toString() {
    return "ProxyConfig{tools="
        + new TreeMap<>(tools)
        + ", loopPolicy="
        + loopPolicy
        + ", hideBlockedTools="
        + hideBlockedTools
        + ", maximumSize="
        + maximumSize
        + ", upstreamTimeout="
        + upstreamTimeout
        + '}';
  }

  private static ToolRule rule(Map<String, ToolRule> tools, String key, String tool) {
    ToolRule rule = tools.get(tool);
    if (rule == null) {
      throw invalid(key, "tool '" + tool + "' is neither read." + tool + " nor write." + tool);
    }
    return rule;
  }

  private static String[] resources(String key, String value) {
    if (value.isEmpty()) {
      return new String[0];
    }
    String[] resources = Arrays.stream(value.split(",")).map(String::strip).toArray(String[]::new);
    for (String resource : resources) {
      if (resource.isEmpty()) {
        throw invalid(key, "has an empty resource name in '" + value + "'");
      }
    }
    if (Arrays.stream(resources).distinct().count() != resources.length) {
      throw invalid(key, "names a resource twice in '" + value + "'");
    }
    return resources;
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(key, "is not an integer: '" + value + "'");
    }
  }

  private static boolean parseBoolean(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "is not true or false: '" + value + "'");
    };
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(
          key, "is not one of " + Arrays.toString(type.getEnumConstants()) + ": '" + value + "'");
    }
  }

  static Duration parseDuration(String key, String value) {
    Matcher m = SHORT_DURATION.matcher(value);
    try {
      Duration duration;
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        duration =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            };
      } else {
        duration = Duration.parse(value);
      }
      if (duration.isNegative()) {
        throw invalid(key, "must not be negative: '" + value + "'");
      }
      return duration;
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw invalid(key, "is not a duration (500ms, 30s, 5m, 2h, 1d or ISO-8601): '" + value + "'");
    }
  }

  private static IllegalArgumentException unknown(String key) {
    return new IllegalArgumentException("Unknown key '" + key + "'; valid keys: " + VALID_KEYS);
  }

  private static IllegalArgumentException invalid(String key, String why) {
    return new IllegalArgumentException("'" + key + "' " + why);
  }

  /** One tool's policy. */
  private record ToolRule(
      boolean write, String[] resources, @Nullable Scope scope, @Nullable Duration ttl) {
    ToolRule(boolean write, String[] resources) {
      this(write, resources, null, null);
    }

    ToolRule withScope(Scope scope) {
      return new ToolRule(write, resources, scope, ttl);
    }

    ToolRule withTtl(Duration ttl) {
      return new ToolRule(write, resources, scope, ttl);
    }

    @Override
    public String toString() {
      var parts = new ArrayList<String>();
      parts.add((write ? "write" : "read") + Arrays.toString(resources));
      if (scope != null) {
        parts.add(scope.name());
      }
      if (ttl != null) {
        parts.add("ttl " + ttl);
      }
      return String.join(" ", parts);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ToolRule other
          && write == other.write
          && Arrays.equals(resources, other.resources)
          && scope == other.scope
          && java.util.Objects.equals(ttl, other.ttl);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(write, Arrays.hashCode(resources), scope, ttl);
    }
  }
}
