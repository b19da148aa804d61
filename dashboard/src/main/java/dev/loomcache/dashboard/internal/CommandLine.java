package dev.loomcache.dashboard.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's command-line options.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param dataDirectory the folder of the Chronicle file, relative to the working directory unless
 *     absolute
 * @param redisHost the Redis server's host, or null for no Redis tier
 * @param redisPort the Redis server's port; meaningless without a host
 * @param help whether to print the usage and stop
 */
public record CommandLine(
    String host,
    int port,
    String dataDirectory,
    @Nullable String redisHost,
    int redisPort,
    boolean help) {
  /** The usage text printed by {@code --help} and after a bad option. */
  public static final String USAGE =
      """
      Usage: bin/dashboard [--host ADDRESS] [--port PORT] [--data DIR] [--redis HOST:PORT]
        --host ADDRESS     the address to listen on (default 127.0.0.1, this machine only;
                           0.0.0.0 listens on every interface)
        --port PORT        the port to listen on (default 8080; 0 picks a free port)
        --data DIR         the folder of the Chronicle file that keeps entries across restarts
                           (default: data, in the working directory)
        --redis HOST:PORT  adds a Redis tier after the Chronicle file (default: the environment
                           variable LOOMCACHE_REDIS; neither means no Redis)
        --help             print this text\
      """;

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /** The default data directory, relative to the working directory. */
  public static final String DEFAULT_DATA_DIRECTORY = "data";

  /** The environment variable read when {@code --redis} is not given. */
  public static final String REDIS_VARIABLE = "LOOMCACHE_REDIS";

  /**
   * Parses {@code args} without looking at the environment; see {@link #parse(Map, String...)}.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  public static CommandLine parse(String... args) {
    return parse(Map.of(), args);
  }

  /**
   * Parses {@code args}, taking the Redis address from {@code environment}'s {@value
   * #REDIS_VARIABLE} when {@code --redis} is absent; each option may be written {@code --name
   * value} or {@code --name=value}.
   *
   * @throws IllegalArgumentException naming the bad option (or variable), for an unknown option, a
   *     missing value or a value out of range
   */
  public static CommandLine parse(Map<String, String> environment, String... args) {
    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
    String data = DEFAULT_DATA_DIRECTORY;
    String redis = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      switch (name) {
        case "-h", "--help" -> help = true;
        case "--host", "--port", "--data", "--redis" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          if (value.isBlank() && !name.equals("--port")) {
            throw new IllegalArgumentException(name + " must not be blank");
          }
          switch (name) {
            case "--host" -> host = value.strip();
            case "--port" -> port = port("--port", value);
            case "--data" -> data = value.strip();
            default -> redis = value.strip();
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    String redisSource = "--redis";
    if (redis == null) {
      String variable = environment.get(REDIS_VARIABLE);
      if (variable != null && !variable.isBlank()) {
        redis = variable.strip();
        redisSource = REDIS_VARIABLE;
      }
    }
    if (redis == null) {
      return new CommandLine(host, port, data, null, 0, help);
    }
    int colon = redis.lastIndexOf(':');
    if (colon <= 0 || colon == redis.length() - 1) {
      throw new IllegalArgumentException(
          redisSource + " must be HOST:PORT, such as " + "127.0.0.1:6379, but was '" + redis + "'");
    }
    String redisHost = redis.substring(0, colon);
    if (redisHost.startsWith("[") && redisHost.endsWith("]")) {
      redisHost = redisHost.substring(1, redisHost.length() - 1);
    }
    int redisPort = port(redisSource + " port", redis.substring(colon + 1));
    if (redisPort == 0) {
      throw new IllegalArgumentException(redisSource + " port must be from 1 to 65535, but was 0");
    }
    return new CommandLine(host, port, data, redisHost, redisPort, help);
  }

  private static int port(String what, String text) {
    int port;
    try {
      port = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          what + " must be a number from 0 to 65535, but was '" + text + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(what + " must be from 0 to 65535, but was " + port);
    }
    return port;
  }
}
