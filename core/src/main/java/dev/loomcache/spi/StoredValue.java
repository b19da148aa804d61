package dev.loomcache.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A value as a tier stores it: the encoded bytes and the absolute expiry in epoch milliseconds, so
 * that a restarted process or another instance keeps the right remaining TTL, and the entry's tags
 * (empty unless the cache has a tagger), so that a tier can find it again by tag. A value stored
 * under freshness options also carries its {@linkplain #freshness() deadlines}.
 */
public final class StoredValue {
  /** The expiry of a value that never expires. */
  public static final long NEVER_EXPIRES = Long.MAX_VALUE;

  private final byte[] bytes;
  private final long expiresAtEpochMillis;
  private final Set<String> tags;
  private final @Nullable StoredFreshness freshness;

  private StoredValue(
      byte[] bytes,
      long expiresAtEpochMillis,
      Set<String> tags,
      @Nullable StoredFreshness freshness) {
    this.bytes = bytes;
    this.expiresAtEpochMillis = expiresAtEpochMillis;
    this.tags = tags;
    this.freshness = freshness;
  }

  /**
   * Returns a stored value; {@code bytes} is not copied (tiers and codecs must not modify it).
   *
   * @param expiresAtEpochMillis the expiry, or {@link #NEVER_EXPIRES}
   */
  public static StoredValue of(byte[] bytes, long expiresAtEpochMillis) {
    requireNonNull(bytes, "bytes must not be null");
    return new StoredValue(bytes, expiresAtEpochMillis, Set.of(), null);
  }

  /**
   * Returns a stored value carrying {@code tags}; {@code bytes} is not copied, {@code tags} is.
   *
   * @throws NullPointerException if {@code bytes}, {@code tags} or any tag is null
   */
  public static StoredValue of(byte[] bytes, long expiresAtEpochMillis, Set<String> tags) {
    requireNonNull(bytes, "bytes must not be null");
    requireNonNull(tags, "tags must not be null");
    return new StoredValue(bytes, expiresAtEpochMillis, Set.copyOf(tags), null);
  }

  /**
   * This value carrying {@code freshness} (replacing any it had), or without freshness for null.
   * Bytes and tags are shared, not copied.
   */
  public StoredValue withFreshness(@Nullable StoredFreshness freshness) {
    return new StoredValue(bytes, expiresAtEpochMillis, tags, freshness);
  }

  /**
   * The value's freshness deadlines, or null if it was stored without freshness options (or read
   * from a tier, or a record, that does not keep them).
   */
  public @Nullable StoredFreshness freshness() {
    return freshness;
  }

  /**
   * Until when a tier must keep the value: its expiry, or the end of its stale-if-error window if
   * that is later ({@link #NEVER_EXPIRES} for never). Past its expiry and before this, the value is
   * expired but may still stand in for a failed reload.
   */
  public long retainUntilEpochMillis() {
    if (freshness != null && freshness.hasStaleWindow() && expiresAtEpochMillis != NEVER_EXPIRES) {
      return Math.max(expiresAtEpochMillis, freshness.staleUntilEpochMillis());
    }
    return expiresAtEpochMillis;
  }

  /** Whether a tier may drop the value at {@code nowEpochMillis} (its retention has passed). */
  public boolean isGoneAt(long nowEpochMillis) {
    long until = retainUntilEpochMillis();
    return until != NEVER_EXPIRES && until <= nowEpochMillis;
  }

  /** The encoded value; not a copy, do not modify. */
  public byte[] bytes() {
    return bytes;
  }

  /** The absolute expiry in epoch milliseconds, or {@link #NEVER_EXPIRES}. */
  public long expiresAtEpochMillis() {
    return expiresAtEpochMillis;
  }

  /** The entry's tags; empty when it has none. Unmodifiable. */
  public Set<String> tags() {
    return tags;
  }

  /** Whether the value has expired at {@code nowEpochMillis}. */
  public boolean isExpiredAt(long nowEpochMillis) {
    return expiresAtEpochMillis != NEVER_EXPIRES && expiresAtEpochMillis <= nowEpochMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredValue other
        && expiresAtEpochMillis == other.expiresAtEpochMillis
        && Arrays.equals(bytes, other.bytes)
        && tags.equals(other.tags)
        && Objects.equals(freshness, other.freshness);
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * (31 * Arrays.hashCode(bytes) + Long.hashCode(expiresAtEpochMillis))
                + tags.hashCode())
        + Objects.hashCode(freshness);
  }

  @Override
  public String toString() {
    return "StoredValue{"
        + bytes.length
        + " bytes, expiresAtEpochMillis="
        + (expiresAtEpochMillis == NEVER_EXPIRES ? "never" : expiresAtEpochMillis)
        + (tags.isEmpty() ? "" : ", tags=" + tags)
        + (freshness == null ? "" : ", " + freshness)
        + '}';
  }
}
