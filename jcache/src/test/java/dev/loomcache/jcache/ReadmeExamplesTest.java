package dev.loomcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.DocSnippets;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/** The snippet of jcache/README.md, compiled and run so that it cannot rot. */
class ReadmeExamplesTest {

  /** The loader of the README's example; a stand-in for a database. */
  public static final class UserLoader implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      return "user " + key;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      var users = new java.util.HashMap<String, String>();
      keys.forEach(key -> users.put(key, load(key)));
      return users;
    }
  }

  @Test
  void readme_quickStart_readsThroughAndExpires() {
    URI uri = URI.create("loomcache:readme");
    // README-BEGIN example
    CachingProvider provider = Caching.getCachingProvider(); // LoomcacheCachingProvider
    CacheManager manager = provider.getCacheManager(uri, provider.getDefaultClassLoader());
    Cache<String, String> users = manager.createCache("users",
        new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setReadThrough(true)
            .setCacheLoaderFactory(FactoryBuilder.factoryOf(UserLoader.class))
            .setExpiryPolicyFactory(
                CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5)))
            .setStatisticsEnabled(true));
    String user = users.get("u1");            // a miss: loaded once, stored for five minutes
    String again = users.get("u1");           // a hit
    // README-END example
    assertThat(provider).isInstanceOf(LoomcacheCachingProvider.class);
    assertThat(user).isEqualTo("user u1");
    assertThat(again).isEqualTo("user u1");
    manager.close();
    assertThat(users.isClosed()).isTrue();
  }

  @Test
  void readme_showsTheTestedCode() {
    DocSnippets.ofTest(ReadmeExamplesTest.class).assertShownIn(Path.of("README.md"));
  }
}
