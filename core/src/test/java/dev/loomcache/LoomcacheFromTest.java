package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoomcacheFromTest {
  private static final String VALID_KEYS =
      "valid keys: name, maximumSize, maximumWeight, defaultTtl, expireAfterAccess, batchWindow,"
          + " maxBatchSize, maxConcurrentBatches, recordStats, refreshAfter, earlyRefresh,"
          + " staleIfError, negativeTtl, ttlJitter, expireAfterHits";

  @Test
  void from_everyKey_setsItsOption() {
    Loomcache<Object, Object> builder =
        Loomcache.from(
            "name=users,maximumSize=1234,defaultTtl=5m,batchWindow=7ms,maxBatchSize=50,"
                + "maxConcurrentBatches=3,recordStats=false");

    assertThat(builder.name()).isEqualTo("users");
    assertThat(builder.maximumSize()).isEqualTo(1234);
    assertThat(builder.defaultTtl().nanos()).isEqualTo(Duration.ofMinutes(5).toNanos());
    assertThat(builder.batchWindow()).isEqualTo(Duration.ofMillis(7));
    assertThat(builder.maxBatchSize()).isEqualTo(50);
    assertThat(builder.maxConcurrentBatches()).isEqualTo(3);
    assertThat(builder.recordStats()).isFalse();
  }

  @Test
  void from_freshnessKeys_setTheirOptions_andReadBack() {
    String spec =
        "defaultTtl=5m,refreshAfter=4m,earlyRefresh=1.0,staleIfError=30m,negativeTtl=30s,"
            + "ttlJitter=0.1,expireAfterHits=1000";

    Loomcache<Object, Object> builder = Loomcache.from(spec);

    assertThat(builder.toString()).isEqualTo("Loomcache{" + spec + "}");
    try (Cache<String, String> cache = builder.build()) {
      assertThat(cache.get("k", () -> "v")).isEqualTo("v");
    }
  }

  @Test
  void from_freshnessKeys_badValues_nameTheKey() {
    assertThatThrownBy(() -> Loomcache.from("ttlJitter=1.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttlJitter");
    assertThatThrownBy(() -> Loomcache.from("refreshAfter=0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshAfter");
    assertThatThrownBy(() -> Loomcache.from("expireAfterHits=many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterHits");
  }

  @Test
  void toString_ofAParsedSpec_isTheSpecAndReadsBack() {
    String spec =
        "name=users,maximumSize=10000,defaultTtl=2h,batchWindow=0ms,maxBatchSize=100,"
            + "maxConcurrentBatches=16,recordStats=true";

    String shown = Loomcache.from(spec).toString();

    assertThat(shown).isEqualTo("Loomcache{" + spec + "}");
    String inner = shown.substring("Loomcache{".length(), shown.length() - 1);
    assertThat(Loomcache.from(inner).toString()).isEqualTo(shown);
  }

  @Test
  void toString_showsOptionsWithoutATextFormByName() {
    var builder =
        Loomcache.from("maximumSize=5").ticker(new FakeTicker()::read).tier(new MapTier("l2"));

    assertThat(builder.toString()).isEqualTo("Loomcache{maximumSize=5; ticker, tiers=[l2]}");
  }

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "5m, PT5M",
    "2h, PT2H",
    "1d, PT24H",
    "PT1M30S, PT1M30S",
    "P1D, PT24H",
    "90s, PT1M30S"
  })
  void from_durations_shortFormAndIso8601(String text, String expected) {
    var builder = Loomcache.from("defaultTtl=" + text + ",batchWindow=" + text);

    assertThat(builder.defaultTtl().nanos()).isEqualTo(Duration.parse(expected).toNanos());
    assertThat(builder.batchWindow()).isEqualTo(Duration.parse(expected));
  }

  @Test
  void from_whitespaceAroundKeysAndValues_isIgnored() {
    var builder = Loomcache.from(" maximumSize = 10 ,  name=orders ");

    assertThat(builder.maximumSize()).isEqualTo(10);
    assertThat(builder.name()).isEqualTo("orders");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void from_blankSpec_givesDefaults(String spec) {
    var builder = Loomcache.from(spec);

    assertThat(builder.name()).isEqualTo(Loomcache.DEFAULT_NAME);
    assertThat(builder.maximumSize()).isEqualTo(Loomcache.DEFAULT_MAXIMUM_SIZE);
    assertThat(builder.toString()).isEqualTo("Loomcache{}");
  }

  @Test
  void from_builtCache_usesTheSpec() {
    var ticker = new FakeTicker();
    Cache<String, String> cache = Loomcache.from("defaultTtl=30s").ticker(ticker::read).build();
    cache.put("k", "v");

    ticker.advance(Duration.ofSeconds(29));
    assertThat(cache.getIfPresent("k")).isEqualTo("v");
    ticker.advance(Duration.ofSeconds(2));
    assertThat(cache.getIfPresent("k")).isNull();
    cache.close();
  }

  @Test
  void from_optionSetBySpec_countsAsSet() {
    assertThatThrownBy(() -> Loomcache.from("maximumSize=5").maximumSize(6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize was already set to 5");
  }

  @Test
  void from_unknownKey_namesItAndListsTheValidKeys() {
    assertThatThrownBy(() -> Loomcache.from("maximumSize=5,maxSize=10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown key 'maxSize' in cache spec; " + VALID_KEYS);
  }

  @Test
  void from_keysAreCaseSensitive() {
    assertThatThrownBy(() -> Loomcache.from("MaximumSize=5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown key 'MaximumSize'");
  }

  @Test
  void from_duplicateKey_namesItAndBothValues() {
    assertThatThrownBy(() -> Loomcache.from("maximumSize=5,defaultTtl=1m,maximumSize=6"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key 'maximumSize' appears twice in cache spec"
                + " (first maximumSize=5, then maximumSize=6)");
  }

  @Test
  void from_entryWithoutValue_isRejected() {
    assertThatThrownBy(() -> Loomcache.from("maximumSize"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache spec entry 'maximumSize' has no value: write key=value; " + VALID_KEYS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "maximumSize=5,",
        ",maximumSize=5",
        "maximumSize=5,,name=a",
        "name=a, ,maximumSize=2"
      })
  void from_emptyEntry_isRejected(String spec) {
    assertThatThrownBy(() -> Loomcache.from(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cache spec has an empty entry")
        .hasMessageEndingWith(VALID_KEYS);
  }

  @Test
  void from_blankKey_isRejected() {
    assertThatThrownBy(() -> Loomcache.from("=5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache spec has an entry with no key; " + VALID_KEYS);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "maximumSize=ten       | bad value for key 'maximumSize' in cache spec: 'ten' is not a whole number",
        "maximumSize=1.5       | bad value for key 'maximumSize' in cache spec: '1.5' is not a whole number",
        "maxBatchSize=99999999999 | bad value for key 'maxBatchSize' in cache spec: '99999999999' is not a whole number",
        "maxConcurrentBatches= | bad value for key 'maxConcurrentBatches' in cache spec: '' is not a whole number",
        "defaultTtl=5 minutes  | bad value for key 'defaultTtl' in cache spec: '5 minutes' is not an ISO-8601 duration",
        "batchWindow=5M        | bad value for key 'batchWindow' in cache spec: '5M' is not an ISO-8601 duration",
        "defaultTtl=99999999999999999d | bad value for key 'defaultTtl' in cache spec: '99999999999999999d' is not an ISO-8601",
        "name=                 | bad value for key 'name' in cache spec: '' is not non-blank text",
      })
  void from_unreadableValue_namesKeyAndValueAndForm(String spec, String message) {
    assertThatThrownBy(() -> Loomcache.from(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "maximumSize=-1   | bad value for key 'maximumSize' in cache spec: '-1': maximumSize must not be negative, but was -1",
        "defaultTtl=0s    | bad value for key 'defaultTtl' in cache spec: '0s': defaultTtl must be positive, but was PT0S",
        "defaultTtl=-PT1S | bad value for key 'defaultTtl' in cache spec: '-PT1S': defaultTtl must be positive, but was PT-1S",
        "batchWindow=-PT1S | bad value for key 'batchWindow' in cache spec: '-PT1S': batchWindow must not be negative, but was PT-1S",
        "maxBatchSize=0   | bad value for key 'maxBatchSize' in cache spec: '0': maxBatchSize must be at least 1, but was 0",
        "maxConcurrentBatches=0 | bad value for key 'maxConcurrentBatches' in cache spec: '0': maxConcurrentBatches must be at least 1, but was 0",
      })
  void from_valueTheBuilderRejects_namesKeyAndBuilderReason(String spec, String message) {
    assertThatThrownBy(() -> Loomcache.from(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void from_null_throwsNullPointerException() {
    assertThatThrownBy(() -> Loomcache.from(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cache spec must not be null");
  }
}
