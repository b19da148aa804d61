package dev.loomcache.dashboard.internal;

/**
 * The dashboard's command-line options.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param help whether to print the usage and stop
 */
public record CommandLine(String host, int port, boolean help) {
  /** The usage text printed by {@code --help} and after a bad option. */
  public static final String USAGE = """
      Usage: bin/dashboard [--host ADDRESS] [--port PORT]
        --host ADDRESS  the address to listen on (default 127.0.0.1, this machine only;
                        0.0.0.0 listens on every interface)
        --port PORT     the port to listen on (default 8080; 0 picks a free port)
        --help          print this text""";

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /**
   * Parses {@code args}; each option may be written {@code --name value} or {@code --name=value}.
   *
   * @throws IllegalArgumentException naming the bad option, for an unknown option, a missing value
   *     or a value out of range
   */
  public static CommandLine parse(String... args) {
    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
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
        case "--host", "--port" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          if (name.equals("--host")) {
            if (value.isBlank()) {
              throw new IllegalArgumentException("--host must not be blank");
            }
            host = value.strip();
          } else {
            port = port(value);
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new CommandLine(host, port, help);
  }

  private static int port(String text) {
    int port;
    try {
      port = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number from 0 to 65535, but was '"
          + text + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be from 0 to 65535, but was " + port);
    }
    return port;
  }
}
