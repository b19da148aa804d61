package dev.loomcache.spring.boot;

import dev.loomcache.spi.CacheTier;
import dev.loomcache.spring.TierFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The tiers that {@code loomcache.chronicle.file} and {@code loomcache.redis.uri} ask for: a
 * Chronicle file per cache, then a Redis tier per cache under {@code keyPrefix + name + ":"}.
 * Classes of the optional modules are touched only when their property is set.
 */
final class PropertyTiers implements TierFactory {
  static final String DEFAULT_KEY_PREFIX = "loomcache:";

  private final @Nullable Path chronicleFile;
  private final long chronicleMaxEntries;
  private final @Nullable String redisUriWithoutPrefix;
  private final String redisKeyPrefix;

  private PropertyTiers(LoomcacheProperties properties) {
    this.chronicleFile = properties.getChronicle().getFile();
    this.chronicleMaxEntries = properties.getChronicle().getMaxEntries();
    String uri = properties.getRedis().getUri();
    if (uri == null || uri.isBlank()) {
      this.redisUriWithoutPrefix = null;
      this.redisKeyPrefix = DEFAULT_KEY_PREFIX;
    } else {
      var split = splitKeyPrefix(uri.strip());
      this.redisUriWithoutPrefix = split[0];
      this.redisKeyPrefix = split[1] == null ? DEFAULT_KEY_PREFIX : split[1];
    }
  }

  /**
   * Returns the tiers of the properties, or null if they ask for none.
   *
   * @throws IllegalStateException if a property needs a module that is not on the class path
   */
  static @Nullable PropertyTiers of(LoomcacheProperties properties) {
    var tiers = new PropertyTiers(properties);
    if (tiers.chronicleFile == null && tiers.redisUriWithoutPrefix == null) {
      return null;
    }
    ClassLoader loader = PropertyTiers.class.getClassLoader();
    if (tiers.chronicleFile != null
        && !ClassUtils.isPresent("dev.loomcache.chronicle.ChronicleStore", loader)) {
      throw new IllegalStateException(
          "loomcache.chronicle.file is set but dev.loomcache:loomcache-persistence-chronicle is"
              + " not on the class path");
    }
    if (tiers.redisUriWithoutPrefix != null
        && !ClassUtils.isPresent("dev.loomcache.redis.RedisTier", loader)) {
      throw new IllegalStateException(
          "loomcache.redis.uri is set but dev.loomcache:loomcache-redis is not on the class path");
    }
    if (tiers.redisUriWithoutPrefix != null) {
      RedisTiers.check(tiers.redisUriWithoutPrefix); // a bad URI fails at startup, not first use
    }
    return tiers;
  }

  @Override
  public List<CacheTier> tiersFor(String cacheName) {
    var tiers = new ArrayList<CacheTier>();
    try {
      if (chronicleFile != null) {
        tiers.add(ChronicleTiers.open(fileFor(chronicleFile, cacheName), chronicleMaxEntries));
      }
      if (redisUriWithoutPrefix != null) {
        tiers.add(RedisTiers.open(redisUriWithoutPrefix, redisKeyPrefix + cacheName + ":"));
      }
      return tiers;
    } catch (RuntimeException | Error e) {
      tiers.forEach(CacheTier::close);
      throw e;
    }
  }

  /** {@code data/cache.dat} and {@code books} give {@code data/cache-books.dat}. */
  static Path fileFor(Path pattern, String cacheName) {
    String fileName = pattern.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String named =
        dot <= 0
            ? fileName + "-" + cacheName
            : fileName.substring(0, dot) + "-" + cacheName + fileName.substring(dot);
    return pattern.resolveSibling(named);
  }

  /**
   * Splits the {@code keyPrefix} query parameter off {@code uri}: returns the URI without it and
   * the decoded prefix (or null when there is none). Leaves the rest of the URI for {@code
   * RedisTier.fromUri} to check, and never reads the user info.
   */
  static @Nullable String[] splitKeyPrefix(String uri) {
    int at = uri.lastIndexOf('@');
    int queryStart = uri.indexOf('?', at + 1);
    if (queryStart < 0) {
      return new String[] {uri, null};
    }
    var kept = new StringJoiner("&");
    String prefix = null;
    for (String entry : uri.substring(queryStart + 1).split("&", -1)) {
      if (entry.startsWith("keyPrefix=")) {
        prefix =
            java.net.URLDecoder.decode(
                entry.substring("keyPrefix=".length()).replace("+", "%2B"), StandardCharsets.UTF_8);
      } else {
        kept.add(entry);
      }
    }
    String base = uri.substring(0, queryStart);
    return new String[] {kept.length() == 0 ? base : base + "?" + kept, prefix};
  }
}
