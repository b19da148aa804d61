package dev.loomcache.agent;

/** What a session does with a call on which the loop detector fires. */
public enum OnLoop {
  /** Throw {@link AgentLoopDetectedException}; the tool does not run. */
  RAISE,

  /** Log at warn level, count the detection, and run the call as usual. */
  WARN,

  /**
   * Do not run the tool: return the last result the session got for the same call (kept by the
   * session, whatever the cache did with it since), or {@code null} if there is none.
   */
  SHORT_CIRCUIT
}
