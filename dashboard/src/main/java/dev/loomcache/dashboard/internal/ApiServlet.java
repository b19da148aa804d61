package dev.loomcache.dashboard.internal;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything under {@code /api}: JSON in (form fields), JSON out. Every refusal is a JSON {@code
 * {"error": ...}} with a 4xx status the page shows as it is; an unexpected failure is a 500 whose
 * details go to the server log, never to the page.
 *
 * <p>Requests run on Jetty's virtual threads, so a scenario simply parks its request's thread until
 * its thousands of virtual threads finish, and the event stream is a plain blocking loop.
 */
public final class ApiServlet extends HttpServlet {
  @Serial private static final long serialVersionUID = 1L;

  private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final int MAX_JSON_BYTES = 64 * 1024;

  private final transient DemoCaches caches;
  private final transient ScenarioRunner runner;
  private final transient SampleHistory history;
  private final transient Map<String, Panel> panels;

  /** Serves the API over these parts of the dashboard. */
  public ApiServlet(
      DemoCaches caches, ScenarioRunner runner, SampleHistory history, List<Panel> panels) {
    this.caches = caches;
    this.runner = runner;
    this.history = history;
    var byId = new LinkedHashMap<String, Panel>();
    for (Panel panel : panels) {
      byId.put(panel.id(), panel);
    }
    this.panels = byId;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      route(request, response);
    } catch (ApiException e) {
      if (!response.isCommitted()) {
        Responses.error(response, e.status(), String.valueOf(e.getMessage()));
      }
    } catch (RuntimeException e) {
      log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
      if (!response.isCommitted()) {
        Responses.error(
            response,
            500,
            "Internal error ("
                + e.getClass().getSimpleName()
                + "); the details are in the server log.");
      }
    }
  }

  private void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    List<String> path = segments(request.getPathInfo());
    if (method.equals("POST")) {
      checkSameOrigin(request);
    }
    String head = path.isEmpty() ? "" : path.get(0);
    switch (head) {
      case "info" -> {
        only(method, request, path, 1, "GET");
        Responses.json(response, 200, info(request));
      }
      case "config" -> {
        only(method, request, path, 1, "GET", "POST");
        DemoConfig config =
            method.equals("POST") ? runner.reconfigure(form(request)) : caches.current().config();
        Responses.json(response, 200, config.toJson());
      }
      case "scenarios" -> {
        if (path.size() == 1) {
          only(method, request, path, 1, "GET");
          var list = new ArrayList<Map<String, Object>>();
          for (Scenario scenario : Scenario.values()) {
            list.add(scenario.toJson());
          }
          Responses.json(response, 200, list);
        } else {
          only(method, request, path, 2, "POST");
          Scenario scenario =
              Scenario.byId(path.get(1))
                  .orElseThrow(() ->
                      new ApiException(
                          404,
                          "There is no scenario '" + path.get(1) + "'; see GET /api/scenarios."));
          Responses.json(response, 200, runner.run(scenario, form(request)));
        }
      }
      case "stats" -> {
        only(method, request, path, 1, "GET");
        var snapshot = caches.snapshot();
        var json = new LinkedHashMap<String, Object>();
        json.put("config", snapshot.demo().config().toJson());
        json.put("stats", StatsJson.of(snapshot.stats(), snapshot.size()));
        Responses.json(response, 200, json);
      }
      case "samples" -> {
        only(method, request, path, 1, "GET");
        long since =
            form(request).allowOnly(Set.of("since")).wholeNumber("since", 0, Long.MAX_VALUE, 0);
        Responses.json(response, 200, Map.of("samples", history.since(since)));
      }
      case "events" -> {
        only(method, request, path, 1, "GET");
        stream(request, response);
      }
      case "panels" -> {
        if (path.size() < 2) {
          throw new ApiException(404, "Name a panel: " + String.join(", ", panels.keySet()) + ".");
        }
        Panel panel = panels.get(path.get(1));
        if (panel == null) {
          throw new ApiException(
              404,
              "There is no panel '"
                  + path.get(1)
                  + "'; the panels are "
                  + String.join(", ", panels.keySet())
                  + ".");
        }
        if (path.size() == 2) {
          only(method, request, path, 2, "GET");
          Responses.json(response, 200, panel.status());
        } else {
          only(method, request, path, 3, "POST");
          Responses.json(response, 200, panel.perform(path.get(2), form(request)));
        }
      }
      default ->
          throw new ApiException(
              404,
              "There is no API endpoint "
                  + request.getRequestURI()
                  + "; the page at / lists what the dashboard offers.");
    }
  }

  /**
   * The live samples as server-sent events: first the kept history (so the charts fill at once),
   * then each new sample as it is taken, and a comment every 15 s of silence so proxies keep the
   * stream open. Ends when the client goes away or the dashboard stops.
   */
  private void stream(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String lastEventId = request.getHeader("Last-Event-ID");
    FormValues form = form(request).allowOnly(Set.of("since"));
    long seq =
        lastEventId == null
            ? form.wholeNumber("since", 0, Long.MAX_VALUE, 0)
            : FormValues.of(Map.of("Last-Event-ID", new String[] {lastEventId}))
                .wholeNumber("Last-Event-ID", 0, Long.MAX_VALUE, 0);
    response.setStatus(200);
    response.setContentType("text/event-stream;charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    OutputStream out = response.getOutputStream();
    out.write(": loomcache dashboard samples\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      while (!history.isClosed()) {
        List<Map<String, Object>> samples = history.awaitSince(seq, KEEP_ALIVE);
        var text = new StringBuilder();
        for (Map<String, Object> sample : samples) {
          seq = (long) requireNonNull(sample.get("seq")); // every sample has one
          text.append("id: ")
              .append(seq)
              .append("\nevent: sample\ndata: ")
              .append(Responses.toJson(sample))
              .append("\n\n");
        }
        if (samples.isEmpty()) {
          text.append(": keep-alive\n\n");
        }
        // An IOException here means the client has gone: it ends the stream.
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, Object> info(HttpServletRequest request) {
    var json = new LinkedHashMap<String, Object>();
    json.put("name", "Loomcache dashboard");
    json.put("cache", DemoCaches.CACHE_NAME);
    json.put("javaVersion", Runtime.version().toString());
    json.put("virtualThread", Thread.currentThread().isVirtual());
    json.put("thread", Thread.currentThread().toString());
    json.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    json.put("localAddress", request.getLocalAddr() + ":" + request.getLocalPort());
    json.put("panels", List.copyOf(panels.keySet()));
    return json;
  }

  /**
   * Refuses a POST sent by a page from another origin: the dashboard binds to loopback, but a page
   * open in the same browser could still post to it.
   */
  private static void checkSameOrigin(HttpServletRequest request) {
    String origin = request.getHeader("Origin");
    String site = request.getHeader("Sec-Fetch-Site");
    boolean crossSite = site != null && !site.equals("same-origin") && !site.equals("none");
    boolean foreignOrigin = false;
    if (origin != null) {
      String host = request.getHeader("Host");
      try {
        foreignOrigin =
            host == null || !host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
      } catch (IllegalArgumentException e) {
        foreignOrigin = true;
      }
    }
    if (crossSite || foreignOrigin) {
      throw new ApiException(
          403, "Requests from another site are refused; use the dashboard's own " + "page.");
    }
  }

  /**
   * The request's fields: the URL's query, plus for a POST its body, a form ({@code
   * application/x-www-form-urlencoded}, what the page sends) or a JSON object ({@code
   * application/json}). Any other body is refused rather than ignored, so that fields sent in a way
   * the dashboard cannot read never silently fall back to the defaults.
   */
  private static FormValues form(HttpServletRequest request) throws IOException {
    String type = mediaType(request.getContentType());
    if (request.getMethod().equals("POST") && type.equals("application/json")) {
      Map<String, String[]> query = queryFields(request);
      return FormValues.ofJson(body(request), query);
    }
    if (request.getMethod().equals("POST")
        && !type.equals("application/x-www-form-urlencoded")
        && hasBody(request)) {
      throw new ApiException(
          415,
          (type.isEmpty() ? "The body has no Content-Type" : "The body's Content-Type is " + type)
              + "; send the fields as "
              + "application/x-www-form-urlencoded (requests=1000) or application/json "
              + "({\"requests\": 1000}).");
    }
    try {
      return FormValues.of(request.getParameterMap());
    } catch (RuntimeException e) {
      // Jetty reports a malformed body or query (bad %-escape, wrong charset) when it is first
      // read.
      throw ApiException.badRequest("The form could not be read (" + e.getMessage() + ").");
    }
  }

  private static Map<String, String[]> queryFields(HttpServletRequest request) {
    try {
      // Without a form body, the parameters are the query's alone.
      return request.getParameterMap();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("The query could not be read (" + e.getMessage() + ").");
    }
  }

  private static String mediaType(@Nullable String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  private static String body(HttpServletRequest request) throws IOException {
    byte[] bytes = request.getInputStream().readNBytes(MAX_JSON_BYTES + 1);
    if (bytes.length > MAX_JSON_BYTES) {
      throw new ApiException(
          413,
          "The JSON body is larger than "
              + MAX_JSON_BYTES
              + " bytes; the dashboard's fields fit in far less.");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void only(
      String method, HttpServletRequest request, List<String> path, int length, String... allowed) {
    if (path.size() != length) {
      throw new ApiException(404, "There is no API endpoint " + request.getRequestURI() + ".");
    }
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    throw new ApiException(
        405,
        request.getRequestURI()
            + " accepts "
            + String.join(" or ", allowed)
            + ", not "
            + method
            + ".");
  }

  private static List<String> segments(String pathInfo) {
    var segments = new ArrayList<String>();
    if (pathInfo != null) {
      for (String segment : pathInfo.split("/")) {
        if (!segment.isEmpty()) {
          segments.add(segment);
        }
      }
    }
    return segments;
  }
}
