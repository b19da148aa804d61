package dev.loomcache.dashboard.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the page's three files from the jar. Only the names listed here exist, so no request path
 * can reach any other resource.
 */
public final class StaticServlet extends HttpServlet {
  @Serial private static final long serialVersionUID = 1L;

  private static final String BASE = "/dev/loomcache/dashboard/static/";
  private static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html;charset=utf-8",
          "app.js", "text/javascript;charset=utf-8",
          "app.css", "text/css;charset=utf-8");

  private final transient Map<String, byte[]> files;

  /** Reads the files once, at start, so a missing one fails the start rather than a request. */
  public StaticServlet() {
    var loaded = new HashMap<String, byte[]>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = StaticServlet.class.getResourceAsStream(BASE + name)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks the page file " + BASE + name);
        }
        loaded.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the page file " + BASE + name, e);
      }
    }
    this.files = Map.copyOf(loaded);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    String name = path.equals("/") ? "index.html" : path.substring(1);
    byte[] body = files.get(name);
    if (body == null) {
      response.setStatus(404);
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().write("Not found: the dashboard is at /\n");
      return;
    }
    response.setStatus(200);
    response.setContentType(TYPES.get(name));
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
