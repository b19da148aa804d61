package dev.loomcache.internal;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a {@link FreshEntry} that a hit reads, in a superclass of their own: the JVM lays a
 * superclass's fields out before its subclass's, so these sit right after the object header and a
 * hit on a quiet entry reads one cache line of it in most placements (with all of its deadlines the
 * entry is about 88 bytes, and the value, the first deadline and the budget flag could land on two
 * lines). The rest of the entry is read only when a deadline is reached.
 */
abstract sealed class FreshEntryHead permits FreshEntry {
  /** The value; {@code null} for a remembered absence ({@code negativeTtl}). */
  final @Nullable Object value;

  /**
   * The first of the entry's refresh point, XFetch start and expiry, or {@code Long.MAX_VALUE} if
   * none is set: before it, with no hit budget, a hit is only a read.
   */
  final long firstDeadline;

  /** Whether the entry has a hit budget ({@code expireAfterHits}). */
  final boolean budgeted;

  FreshEntryHead(@Nullable Object value, long firstDeadline, boolean budgeted) {
    this.value = value;
    this.firstDeadline = firstDeadline;
    this.budgeted = budgeted;
  }
}
