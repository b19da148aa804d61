package dev.loomcache.redis.internal;

import static java.util.Objects.requireNonNull;

import dev.loomcache.redis.RedisTierBuilder;
import dev.loomcache.redis.WriteMode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A parsed Redis URI: {@code redis://[user:password@]host:port[/db]?option=value&...}, {@code
 * rediss://} for TLS, {@code redis-cluster://h1:p1,h2:p2?...} (and {@code rediss-cluster://}) for
 * Redis Cluster.
 *
 * <p>Design note: the query options are a table, one entry per key (its reader and the builder
 * setter it feeds), so a new tier option is one line. The password is kept for the client and
 * nowhere else: {@link #toString()} and every message this class writes show {@code ****} in its
 * place, and a message never quotes the raw URI, only the redacted one or the offending part.
 */
public final class RedisUri {
  private static final int DEFAULT_PORT = 6379;

  /** The lease of {@code singleFlight=true}; a duration there sets another. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(5);

  private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
  private static final String DURATION_FORMS =
      "a duration (500ms, 30s, 5m, 2h, 1d or ISO-8601 such as PT0.5S)";

  private static final Map<String, Option<?>> OPTIONS =
      new Table()
          .option("keyPrefix", Reader.TEXT, RedisTierBuilder::keyPrefix)
          .option("name", Reader.TEXT, RedisTierBuilder::name)
          .option("commandTimeout", Reader.DURATION, RedisTierBuilder::commandTimeout)
          .option("writeMode", Reader.WRITE_MODE, RedisTierBuilder::writeMode)
          .option(
              "writeBehindQueueCapacity", Reader.INT, RedisTierBuilder::writeBehindQueueCapacity)
          .option("writeBehindThreads", Reader.INT, RedisTierBuilder::writeBehindThreads)
          .option("invalidation", Reader.BOOLEAN, RedisTierBuilder::crossInstanceInvalidation)
          .option("invalidationChannel", Reader.TEXT, RedisTierBuilder::invalidationChannel)
          .option(
              "singleFlight",
              Reader.LEASE,
              (builder, lease) -> lease.ifPresent(builder::distributedSingleFlight))
          .option("failureThreshold", Reader.INT, RedisTierBuilder::failureThreshold)
          .option("probeInterval", Reader.DURATION, RedisTierBuilder::probeInterval)
          .option("repairCapacity", Reader.INT, RedisTierBuilder::repairCapacity)
          .option("heartbeatInterval", Reader.DURATION, RedisTierBuilder::heartbeatInterval)
          .option("maxLocalStaleness", Reader.DURATION, RedisTierBuilder::maxLocalStaleness)
          // Options of the client, not of the tier: read when the client is opened.
          .option("poolSize", Reader.INT, (builder, size) -> {})
          .options();

  private final boolean tls;
  private final boolean cluster;
  private final List<HostAndPort> nodes;
  private final @Nullable String user;
  private final @Nullable String password;
  private final int database;
  private final Map<String, String> query;
  private final String redacted;

  private RedisUri(
      String scheme,
      List<HostAndPort> nodes,
      @Nullable String user,
      @Nullable String password,
      int database,
      Map<String, String> query,
      String redacted) {
    this.tls = scheme.startsWith("rediss");
    this.cluster = scheme.endsWith("-cluster");
    this.nodes = List.copyOf(nodes);
    this.user = user;
    this.password = password;
    this.database = database;
    this.query = Collections.unmodifiableMap(query);
    this.redacted = redacted;
  }

  /** The query keys a URI may use, in the order the documentation lists them. */
  public static Set<String> keys() {
    return Collections.unmodifiableSet(OPTIONS.keySet());
  }

  /**
   * Parses {@code uri}. Does no I/O.
   *
   * @throws IllegalArgumentException if the URI is malformed, uses an unknown scheme, repeats or
   *     misspells a query key, or gives a value its option does not accept; the message never
   *     contains the password
   */
  public static RedisUri parse(String uri) {
    requireNonNull(uri, "uri must not be null");
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException(
          "Redis URI has no scheme: start it with redis://, rediss://, redis-cluster:// or"
              + " rediss-cluster://");
    }
    String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!List.of("redis", "rediss", "redis-cluster", "rediss-cluster").contains(scheme)) {
      throw new IllegalArgumentException(
          "unknown Redis URI scheme '"
              + scheme
              + "': use redis://, rediss:// (TLS), redis-cluster:// or rediss-cluster://");
    }
    String rest = uri.substring(schemeEnd + 3);
    // The last @ ends the user info, wherever it is: a password with an unescaped / or ? in it
    // is then still redacted whole, never mistaken for a path or a query that a message quotes.
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? null : rest.substring(0, at);
    String afterUserInfo = rest.substring(at + 1);
    int queryStart = afterUserInfo.indexOf('?');
    String rawQuery = queryStart < 0 ? "" : afterUserInfo.substring(queryStart + 1);
    String hostsAndPath = queryStart < 0 ? afterUserInfo : afterUserInfo.substring(0, queryStart);
    int pathStart = hostsAndPath.indexOf('/');
    String hosts = pathStart < 0 ? hostsAndPath : hostsAndPath.substring(0, pathStart);
    String path = pathStart < 0 ? "" : hostsAndPath.substring(pathStart + 1);
    String redacted =
        scheme + "://" + (userInfo == null ? "" : redactUserInfo(userInfo) + "@") + afterUserInfo;

    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      // Without a colon the user info is a password alone, as in redis://secret@host.
      String rawUser = colon < 0 ? "" : userInfo.substring(0, colon);
      String rawPassword = colon < 0 ? userInfo : userInfo.substring(colon + 1);
      user = rawUser.isEmpty() ? null : decode(rawUser, "the user name", redacted);
      password = rawPassword.isEmpty() ? null : decode(rawPassword, null, redacted);
    }

    boolean cluster = scheme.endsWith("-cluster");
    List<HostAndPort> nodes = nodes(hosts, redacted);
    if (!cluster && nodes.size() > 1) {
      throw new IllegalArgumentException(
          "Redis URI "
              + redacted
              + " names "
              + nodes.size()
              + " hosts: only redis-cluster:// takes several");
    }
    int database = database(path, redacted);
    if (cluster && database != 0) {
      throw new IllegalArgumentException(
          "Redis URI "
              + redacted
              + " selects database "
              + database
              + ": Redis Cluster has database 0 only");
    }
    Map<String, String> query = query(rawQuery, redacted);
    var parsed = new RedisUri(scheme, nodes, user, password, database, query, redacted);
    parsed.checkValues();
    return parsed;
  }

  /** Whether the URI asks for TLS ({@code rediss://}). */
  public boolean tls() {
    return tls;
  }

  /** Whether the URI names a Redis Cluster. */
  public boolean cluster() {
    return cluster;
  }

  /** The hosts and ports, in URI order. */
  public List<HostAndPort> nodes() {
    return nodes;
  }

  /** The database number (0 unless the path names another). */
  public int database() {
    return database;
  }

  /** The user name, or null when the URI has none. */
  public @Nullable String user() {
    return user;
  }

  /** Whether the URI carries a password (which this class never shows). */
  public boolean hasPassword() {
    return password != null;
  }

  /** The query options, decoded, in URI order. */
  public Map<String, String> query() {
    return query;
  }

  /**
   * Applies the query's tier options to {@code builder}.
   *
   * @throws IllegalArgumentException if the builder rejects a value (the message names its key)
   */
  public void configure(RedisTierBuilder builder) {
    // The constructor rejected every key without an option.
    query.forEach((key, text) -> requireNonNull(OPTIONS.get(key)).applyTo(builder, text, redacted));
  }

  /**
   * Opens a client for this URI: a {@link RedisClient} or, for a cluster, a {@link
   * RedisClusterClient}. A standalone client connects lazily; a cluster client connects to discover
   * the slots, so it parks the calling thread for that and throws if no node answers.
   */
  @SuppressWarnings(
      "deprecation") // ssl(true): TLS with the JVM's default trust store, no SslOptions
  public UnifiedJedis openClient() {
    var config = DefaultJedisClientConfig.builder().database(database);
    if (tls) {
      config.ssl(true);
    }
    if (user != null) {
      config.user(user);
    }
    if (password != null) {
      config.password(password);
    }
    var pool = new ConnectionPoolConfig();
    String poolSize = query.get("poolSize");
    if (poolSize != null) {
      int size = Integer.parseInt(poolSize); // checked in parse
      pool.setMaxTotal(size);
      pool.setMaxIdle(size);
    }
    if (cluster) {
      return RedisClusterClient.builder()
          .nodes(new LinkedHashSet<>(nodes))
          .clientConfig(config.build())
          .poolConfig(pool)
          .build();
    }
    return RedisClient.builder()
        .hostAndPort(nodes.getFirst())
        .clientConfig(config.build())
        .poolConfig(pool)
        .build();
  }

  /** The URI with {@code ****} in place of the password. */
  @Override
  public String toString() {
    return redacted;
  }

  private void checkValues() {
    query.forEach((key, text) -> requireNonNull(OPTIONS.get(key)).read(text, redacted));
    String poolSize = query.get("poolSize");
    if (poolSize != null && Integer.parseInt(poolSize) < 1) {
      throw new IllegalArgumentException(
          "bad value for key 'poolSize' in Redis URI "
              + redacted
              + ": '"
              + poolSize
              + "': poolSize must be at least 1");
    }
  }

  private static String redactUserInfo(String userInfo) {
    int colon = userInfo.indexOf(':');
    return colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
  }

  private static List<HostAndPort> nodes(String hosts, String redacted) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("Redis URI " + redacted + " names no host");
    }
    var nodes = new ArrayList<HostAndPort>();
    for (String node : hosts.split(",", -1)) {
      nodes.add(node(node, redacted));
    }
    return nodes;
  }

  private static HostAndPort node(String node, String redacted) {
    String host;
    String port;
    if (node.startsWith("[")) { // [IPv6]:port
      int close = node.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(
            "Redis URI "
                + redacted
                + ": '"
                + node
                + "' opens an IPv6 address with [ but does not close it");
      }
      host = node.substring(1, close);
      String after = node.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw new IllegalArgumentException(
            "Redis URI " + redacted + ": '" + node + "' is not [address]:port");
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else {
      int colon = node.lastIndexOf(':');
      host = colon < 0 ? node : node.substring(0, colon);
      port = colon < 0 ? null : node.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("Redis URI " + redacted + ": '" + node + "' has no host");
    }
    if (port == null) {
      return new HostAndPort(host, DEFAULT_PORT);
    }
    try {
      int number = Integer.parseInt(port);
      if (number >= 1 && number <= 65_535) {
        return new HostAndPort(host, number);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Redis URI "
            + redacted
            + ": port '"
            + port
            + "' of '"
            + node
            + "' is not a number from 1 to 65535");
  }

  private static int database(String path, String redacted) {
    if (path.isEmpty()) {
      return 0;
    }
    try {
      int database = Integer.parseInt(path);
      if (database >= 0) {
        return database;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Redis URI "
            + redacted
            + ": the path '/"
            + path
            + "' is not a database number (0 or more)");
  }

  private static Map<String, String> query(String rawQuery, String redacted) {
    var query = new LinkedHashMap<String, String>();
    if (rawQuery.isEmpty()) {
      return query;
    }
    for (String entry : rawQuery.split("&", -1)) {
      int equals = entry.indexOf('=');
      if (entry.isEmpty() || equals <= 0) {
        throw new IllegalArgumentException(
            "Redis URI "
                + redacted
                + ": query entry '"
                + entry
                + "' is not key=value; valid keys: "
                + String.join(", ", OPTIONS.keySet()));
      }
      String key = decode(entry.substring(0, equals), "a query key", redacted);
      String value = decode(entry.substring(equals + 1), "the value of " + key, redacted);
      if (!OPTIONS.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown key '"
                + key
                + "' in Redis URI "
                + redacted
                + "; valid keys: "
                + String.join(", ", OPTIONS.keySet()));
      }
      String first = query.putIfAbsent(key, value);
      if (first != null) {
        throw new IllegalArgumentException(
            "key '"
                + key
                + "' appears twice in Redis URI "
                + redacted
                + " (first "
                + key
                + "="
                + first
                + ", then "
                + key
                + "="
                + value
                + ")");
      }
    }
    return query;
  }

  /**
   * Percent-decodes {@code text} as UTF-8 ({@code +} stays a plus). {@code what} names the part for
   * messages; null means the password, whose text a message must not show.
   */
  private static String decode(String text, @Nullable String what, String redacted) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    var bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (high < 0 || low < 0) {
        throw badEscape(text, what, redacted);
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw badEscape(text, what, redacted);
    }
  }

  private static IllegalArgumentException badEscape(
      String text, @Nullable String what, String redacted) {
    return new IllegalArgumentException(
        "Redis URI "
            + redacted
            + ": "
            + (what == null ? "the password" : what + " '" + text + "'")
            + " has a bad percent-escape (write %XX with two hex digits, UTF-8)");
  }

  private static Duration duration(String text) {
    var shortForm = SHORT_DURATION.matcher(text);
    try {
      if (!shortForm.matches()) {
        return Duration.parse(text);
      }
      long amount = Long.parseLong(shortForm.group(1));
      return switch (shortForm.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** How a query value's text becomes a value; {@code form} describes it for messages. */
  private record Reader<T>(String form, Function<String, T> read) {
    static final Reader<String> TEXT =
        new Reader<>(
            "non-blank text",
            text -> {
              if (text.isBlank()) {
                throw new IllegalArgumentException("blank");
              }
              return text;
            });
    static final Reader<Integer> INT = new Reader<>("a whole number", Integer::parseInt);
    static final Reader<Boolean> BOOLEAN =
        new Reader<>(
            "true or false",
            text ->
                switch (text.toLowerCase(Locale.ROOT)) {
                  case "true" -> true;
                  case "false" -> false;
                  default -> throw new IllegalArgumentException("not true or false");
                });
    static final Reader<Duration> DURATION = new Reader<>(DURATION_FORMS, RedisUri::duration);
    static final Reader<WriteMode> WRITE_MODE =
        new Reader<>(
            "WRITE_THROUGH or WRITE_BEHIND",
            text -> WriteMode.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_')));

    /** true (the default lease), false (off), or the lease as a duration. */
    static final Reader<Optional<Duration>> LEASE =
        new Reader<>(
            "true, false or a lease time (" + DURATION_FORMS + ")",
            text ->
                switch (text.toLowerCase(Locale.ROOT)) {
                  case "true" -> Optional.of(DEFAULT_LEASE);
                  case "false" -> Optional.empty();
                  default -> Optional.of(duration(text));
                });
  }

  private record Option<T>(String key, Reader<T> reader, BiConsumer<RedisTierBuilder, T> setter) {
    T read(String text, String redacted) {
      try {
        return reader.read().apply(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad value for key '"
                + key
                + "' in Redis URI "
                + redacted
                + ": '"
                + text
                + "' is not "
                + reader.form(),
            e);
      }
    }

    void applyTo(RedisTierBuilder builder, String text, String redacted) {
      T value = read(text, redacted);
      try {
        setter.accept(builder, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad value for key '"
                + key
                + "' in Redis URI "
                + redacted
                + ": '"
                + text
                + "': "
                + e.getMessage(),
            e);
      }
    }
  }

  private static final class Table {
    private final Map<String, Option<?>> options = new LinkedHashMap<>();

    <T> Table option(String key, Reader<T> reader, BiConsumer<RedisTierBuilder, T> setter) {
      options.put(key, new Option<>(key, reader, setter));
      return this;
    }

    Map<String, Option<?>> options() {
      return Collections.unmodifiableMap(options);
    }
  }
}
