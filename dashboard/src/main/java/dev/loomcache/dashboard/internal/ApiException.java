package dev.loomcache.dashboard.internal;

/**
 * A request the dashboard refuses, with the HTTP status and the message the page shows. Carries no
 * stack trace: it is an answer, not a fault.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** Creates a refusal with {@code status} (4xx or 5xx) and a message meant for the user. */
  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** A 400 Bad Request: a form value the user can fix. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
