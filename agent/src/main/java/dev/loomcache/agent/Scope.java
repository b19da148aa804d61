package dev.loomcache.agent;

/** Who shares the cached results of a read tool, and whose entries a write tool invalidates. */
public enum Scope {
  /**
   * Shared by every caller of the {@link AgentCache}, with or without a session. A write tool of
   * this scope invalidates its resources everywhere: the shared entries and every session's
   * entries.
   */
  GLOBAL,

  /**
   * Owned by the bound {@link AgentSession}: invisible to other sessions and dropped when the
   * session closes. A tool of this scope called with no session bound throws {@link
   * IllegalStateException}; a write tool of this scope invalidates only the bound session's entries
   * of its resources.
   */
  SESSION
}
