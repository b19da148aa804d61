package dev.loomcache.dashboard;

import static java.util.Objects.requireNonNull;

import dev.loomcache.dashboard.internal.AgentPanel;
import dev.loomcache.dashboard.internal.ApiServlet;
import dev.loomcache.dashboard.internal.CommandLine;
import dev.loomcache.dashboard.internal.DemoCaches;
import dev.loomcache.dashboard.internal.DemoConfig;
import dev.loomcache.dashboard.internal.DemoShop;
import dev.loomcache.dashboard.internal.FreshnessPanel;
import dev.loomcache.dashboard.internal.LangChain4jPanel;
import dev.loomcache.dashboard.internal.LatencyHistogram;
import dev.loomcache.dashboard.internal.LowerTiers;
import dev.loomcache.dashboard.internal.MetricsServlet;
import dev.loomcache.dashboard.internal.Panel;
import dev.loomcache.dashboard.internal.SampleHistory;
import dev.loomcache.dashboard.internal.Sampler;
import dev.loomcache.dashboard.internal.ScenarioRunner;
import dev.loomcache.dashboard.internal.SlowBackend;
import dev.loomcache.dashboard.internal.StaticServlet;
import dev.loomcache.dashboard.internal.TiersPanel;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Loomcache dashboard: a Jetty 12 server whose requests run on virtual threads, serving a page
 * that runs scenarios against a demo cache on the server and charts what the cache does.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.newBuilder().port(0).start()) {
 *   System.out.println(dashboard.uri());   // http://127.0.0.1:<free port>/
 * }
 * }</pre>
 *
 * <p>The demo cache reads through L1, then a Chronicle file under the data directory (so what was
 * loaded before a restart is a tier hit after it), then Redis when an address is given.
 *
 * <p>From a shell: {@code bin/dashboard [--host ADDRESS] [--port PORT] [--data DIR] [--redis
 * HOST:PORT]} (see {@link #main}).
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  private final Server server;
  private final URI uri;
  private final List<AutoCloseable> parts;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Dashboard(Server server, URI uri, List<AutoCloseable> parts) {
    this.server = server;
    this.uri = uri;
    this.parts = parts;
  }

  /**
   * Returns a builder: 127.0.0.1, port 8080, a sample every 500 ms, the Chronicle file under {@code
   * data/} in the working directory, no Redis.
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Starts the dashboard from the command line, prints its address and parks until the process is
   * stopped (Ctrl-C closes it cleanly). A bad option prints the usage and exits with status 2; a
   * port that cannot be bound exits with status 1.
   */
  public static void main(String[] args) throws InterruptedException {
    CommandLine options;
    try {
      options = CommandLine.parse(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("dashboard: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(CommandLine.USAGE);
      return;
    }
    Dashboard dashboard;
    try {
      var builder =
          newBuilder()
              .host(options.host())
              .port(options.port())
              .dataDirectory(Path.of(options.dataDirectory()));
      String redisHost = options.redisHost();
      if (redisHost != null) {
        builder.redis(redisHost, options.redisPort());
      }
      dashboard = builder.start();
    } catch (UncheckedIOException e) {
      System.err.println(
          "dashboard: cannot listen on "
              + options.host()
              + ":"
              + options.port()
              + " ("
              + requireNonNull(e.getCause()).getMessage()
              + "); pass --port 0 for a free port.");
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(dashboard::close, "dashboard-shutdown"));
    System.out.println("Loomcache dashboard running at " + dashboard.uri() + "  (Ctrl-C stops it)");
    dashboard.join();
  }

  /** The address of the page, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return uri;
  }

  /**
   * Parks the calling thread until the dashboard is closed.
   *
   * @throws InterruptedException if the calling thread is interrupted while parked
   */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops sampling (which ends the event streams), stops the server, then closes the panels, the
   * demo cache and the meters. Idempotent (only the first call does the work); parks while requests
   * in progress are cut off.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("closing {} failed", part, e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Options for a dashboard; each setter may be called once. */
  public static final class Builder {
    private @Nullable String host;
    private int port = -1;
    private @Nullable Duration sampleInterval;
    private @Nullable Path dataDirectory;
    private @Nullable String redisHost;
    private int redisPort;

    private Builder() {}

    /**
     * Sets the folder of the Chronicle file ({@code products.cmap}); default {@code data} in the
     * working directory. Created when missing. One dashboard at a time may use a folder: the file
     * is locked while open, and a second dashboard runs without it (its tiers panel says why).
     *
     * @throws IllegalStateException if the data directory was already set
     */
    public Builder dataDirectory(Path directory) {
      requireNonNull(directory, "directory must not be null");
      if (this.dataDirectory != null) {
        throw new IllegalStateException("dataDirectory was already set to " + this.dataDirectory);
      }
      this.dataDirectory = directory;
      return this;
    }

    /**
     * Adds a Redis tier after the Chronicle file, on the server at {@code host:port}, with keys
     * under {@value LowerTiers#REDIS_PREFIX}; default none (and then no connection is ever made).
     * Redis being down never fails a request: the tier's breaker opens and the page says so.
     *
     * @throws IllegalArgumentException if {@code host} is blank or {@code port} outside 1 to 65535
     * @throws IllegalStateException if Redis was already set
     */
    public Builder redis(String host, int port) {
      requireNonNull(host, "host must not be null");
      if (host.isBlank()) {
        throw new IllegalArgumentException("redis host must not be blank");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("redis port must be from 1 to 65535, but was " + port);
      }
      if (this.redisHost != null) {
        throw new IllegalStateException(
            "redis was already set to " + this.redisHost + ":" + this.redisPort);
      }
      this.redisHost = host;
      this.redisPort = port;
      return this;
    }

    /**
     * Sets the address to listen on; default {@code 127.0.0.1} (this machine only).
     *
     * @throws IllegalArgumentException if {@code host} is blank
     * @throws IllegalStateException if the host was already set
     */
    public Builder host(String host) {
      requireNonNull(host, "host must not be null");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (this.host != null) {
        throw new IllegalStateException("host was already set to " + this.host);
      }
      this.host = host;
      return this;
    }

    /**
     * Sets the port to listen on; default 8080, and 0 picks a free one.
     *
     * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
     * @throws IllegalStateException if the port was already set
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be from 0 to 65535, but was " + port);
      }
      if (this.port != -1) {
        throw new IllegalStateException("port was already set to " + this.port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how often the live charts get a sample; default 500 ms.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     * @throws IllegalStateException if the interval was already set
     */
    public Builder sampleInterval(Duration interval) {
      requireNonNull(interval, "interval must not be null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("sampleInterval must be positive, but was " + interval);
      }
      if (this.sampleInterval != null) {
        throw new IllegalStateException("sampleInterval was already set to " + this.sampleInterval);
      }
      this.sampleInterval = interval;
      return this;
    }

    /**
     * Builds the demo cache, starts the server and returns once it listens. Blocks while the server
     * starts.
     *
     * @throws UncheckedIOException if the address cannot be bound (the port is in use, the host is
     *     not an address of this machine)
     */
    public Dashboard start() {
      String bindHost = host == null ? "127.0.0.1" : host;
      int bindPort = port == -1 ? CommandLine.DEFAULT_PORT : port;
      Duration interval = sampleInterval == null ? Duration.ofMillis(500) : sampleInterval;
      var closeLast = new ArrayList<AutoCloseable>();
      try {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closeLast.add(registry::close);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        var tiers =
            new LowerTiers(
                dataDirectory == null ? Path.of(CommandLine.DEFAULT_DATA_DIRECTORY) : dataDirectory,
                redisHost,
                redisPort);
        DemoCaches caches;
        try {
          caches = new DemoCaches(registry, SlowBackend.database(), tiers, DemoConfig.defaults());
        } catch (RuntimeException | Error e) {
          tiers.close();
          throw e;
        }
        closeLast.add(0, caches);
        var live = new LatencyHistogram();
        var history = new SampleHistory(240);
        var runner = new ScenarioRunner(caches, live, registry);
        List<Panel> panels =
            List.of(
                new TiersPanel(caches),
                new AgentPanel(
                    registry, new DemoShop(Duration.ofMillis(20), Duration.ofMillis(50))),
                new LangChain4jPanel(
                    registry, new DemoShop(Duration.ofMillis(20), Duration.ofMillis(50))),
                new FreshnessPanel(Duration.ofMillis(20)));
        closeLast.addAll(0, panels);
        var sampler = new Sampler(caches, live, history, interval);

        var pool = new VirtualThreadPool();
        pool.setName("dashboard");
        var server = new Server(pool);
        var connector = new ServerConnector(server);
        connector.setHost(bindHost);
        connector.setPort(bindPort);
        server.addConnector(connector);
        var context = new ServletContextHandler("/");
        context.addServlet(
            new ServletHolder("api", new ApiServlet(caches, runner, history, panels)), "/api/*");
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(registry)), "/metrics");
        context.addServlet(new ServletHolder("page", new StaticServlet()), "/");
        var errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setHandler(context);
        // Sampling stops first, so the event streams end before the server cuts connections.
        var parts = new ArrayList<AutoCloseable>();
        parts.add(sampler);
        parts.add(server::stop);
        parts.addAll(closeLast);
        try {
          server.start();
        } catch (Exception e) {
          closeAll(parts);
          if (e instanceof IOException io) {
            throw new UncheckedIOException(io);
          }
          throw new IllegalStateException("the dashboard's server did not start: " + e, e);
        }
        String shown = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        URI uri = URI.create("http://" + shown + ":" + connector.getLocalPort() + "/");
        log.info("Dashboard listening on {} (requests on virtual threads)", uri);
        log.info("Demo cache tiers: {}", tiers.summary());
        return new Dashboard(server, uri, parts);
      } catch (RuntimeException | Error e) {
        closeAll(closeLast);
        throw e;
      }
    }

    private static void closeAll(List<AutoCloseable> parts) {
      for (AutoCloseable part : parts) {
        try {
          part.close();
        } catch (Exception suppressed) {
          log.debug("closing {} after a failed start failed", part, suppressed);
        }
      }
    }
  }
}
