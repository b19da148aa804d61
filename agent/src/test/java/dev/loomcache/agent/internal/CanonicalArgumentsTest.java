package dev.loomcache.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The canonical JSON form of tool arguments. */
class CanonicalArgumentsTest {

  record CartQuery(String userId) {}

  record Search(String query, int limit, List<String> tags) {}

  record Outer(Search search, Optional<String> cursor) {}

  private record Hidden(String secret) {}

  enum Color {
    RED
  }

  @Test
  void of_record_isAnObjectOfItsComponentsSortedByName() {
    assertThat(CanonicalArguments.of(new Search("shoes", 10, List.of("b", "a"))))
        .isEqualTo("{\"limit\":10,\"query\":\"shoes\",\"tags\":[\"b\",\"a\"]}");
  }

  @Test
  void of_recordMapAndJsonTextOfTheSameArguments_areEqual() {
    String fromRecord = CanonicalArguments.of(new Search("shoes", 10, List.of("b", "a")));
    var map = new LinkedHashMap<String, Object>();
    map.put("tags", List.of("b", "a"));
    map.put("query", "shoes");
    map.put("limit", 10.0);

    assertThat(CanonicalArguments.of(map)).isEqualTo(fromRecord);
    assertThat(
            CanonicalArguments.of(
                " {\n \"tags\": [\"b\", \"a\"], \"query\": \"shoes\", \"limit\": 1e1 }"))
        .isEqualTo(fromRecord);
  }

  @Test
  void of_nestedRecordAndOptional_areWrittenRecursively() {
    assertThat(CanonicalArguments.of(new Outer(new Search("q", 1, List.of()), Optional.empty())))
        .isEqualTo("{\"cursor\":null,\"search\":{\"limit\":1,\"query\":\"q\",\"tags\":[]}}");
    assertThat(CanonicalArguments.of(new Outer(new Search("q", 1, List.of()), Optional.of("c2"))))
        .isEqualTo("{\"cursor\":\"c2\",\"search\":{\"limit\":1,\"query\":\"q\",\"tags\":[]}}");
  }

  @Test
  void of_mapsWithTheSameEntriesInAnyOrder_areEqual() {
    var a = new HashMap<String, Object>();
    var b = new LinkedHashMap<String, Object>();
    for (int i = 0; i < 50; i++) {
      a.put("k" + i, i);
    }
    for (int i = 49; i >= 0; i--) {
      b.put("k" + i, (long) i);
    }
    assertThat(CanonicalArguments.of(a)).isEqualTo(CanonicalArguments.of(b));
  }

  @Test
  void of_setsInAnyOrder_areEqualSortedArrays() {
    var a = new HashSet<>(List.of("pear", "apple", "fig"));
    var b = new TreeSet<>(List.of("fig", "pear", "apple"));
    assertThat(CanonicalArguments.of(a)).isEqualTo("[\"apple\",\"fig\",\"pear\"]");
    assertThat(CanonicalArguments.of(b)).isEqualTo(CanonicalArguments.of(a));
  }

  @Test
  void of_listsKeepTheirOrder() {
    assertThat(CanonicalArguments.of(List.of(2, 1)))
        .isNotEqualTo(CanonicalArguments.of(List.of(1, 2)));
  }

  @Test
  void of_arraysAndListsOfTheSameElements_areEqual() {
    assertThat(CanonicalArguments.of(new int[] {1, 2})).isEqualTo("[1,2]");
    assertThat(CanonicalArguments.of(new String[] {"a", null})).isEqualTo("[\"a\",null]");
    assertThat(CanonicalArguments.of(new ArrayList<>(List.of(1, 2)))).isEqualTo("[1,2]");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[1]|[1]",
        "[1.0]|[1]",
        "[1.00]|[1]",
        "[1e0]|[1]",
        "[10E-1]|[1]",
        "[100]|[100]",
        "[1e2]|[100]",
        "[-0]|[0]",
        "[-0.0]|[0]",
        "[0.5]|[0.5]",
        "[5e-1]|[0.5]",
        "[-12.50]|[-12.5]",
        "[0.000001]|[0.000001]",
        "[1e-7]|[1e-7]",
        "[1.5e-7]|[1.5e-7]",
        "[123456789012345678901]|[123456789012345678901]",
        "[1e21]|[1e+21]",
        "[1234567890123456789012345]|[1.234567890123456789012345e+24]",
      })
  void of_jsonNumbers_areNormalised(String json, String canonical) {
    assertThat(CanonicalArguments.of(json)).isEqualTo(canonical);
  }

  @Test
  void of_javaNumbersOfEqualValue_areEqual() {
    String one = CanonicalArguments.of(List.of(1));
    assertThat(CanonicalArguments.of(List.of(1L))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of((short) 1))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of((byte) 1))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of(1.0))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of(1.0f))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of(new BigDecimal("1.000")))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of(BigInteger.ONE))).isEqualTo(one);
    assertThat(CanonicalArguments.of(List.of(0.1))).isEqualTo("[0.1]");
    assertThat(CanonicalArguments.of(List.of(0.1f))).isEqualTo("[0.1]");
    assertThat(CanonicalArguments.of(List.of(-0.0))).isEqualTo("[0]");
    assertThat(CanonicalArguments.of(List.of(1e300))).isEqualTo("[1e+300]");
  }

  @Test
  void of_oneTrueAndTheStringOne_areThreeDifferentKeys() {
    assertThat(
            Set.of(
                CanonicalArguments.of(Map.of("x", 1)),
                CanonicalArguments.of(Map.of("x", true)),
                CanonicalArguments.of(Map.of("x", "1")),
                CanonicalArguments.of(Map.of("x", List.of(1)))))
        .hasSize(4);
  }

  @Test
  void of_topLevelStringThatIsNotAJsonObjectOrArray_isAPlainString() {
    assertThat(CanonicalArguments.of("shoes")).isEqualTo("\"shoes\"");
    // Scalars are never parsed: "123" and "123.0" are different search queries.
    assertThat(CanonicalArguments.of("123")).isEqualTo("\"123\"");
    assertThat(CanonicalArguments.of("123.0")).isNotEqualTo(CanonicalArguments.of("123"));
    assertThat(CanonicalArguments.of("true")).isEqualTo("\"true\"");
  }

  @Test
  void of_invalidJsonText_isAPlainStringThatCannotCollideWithJson() {
    assertThat(CanonicalArguments.of("{\"a\":1,}")).isEqualTo("\"{\\\"a\\\":1,}\"");
    assertThat(CanonicalArguments.of("[01]")).isEqualTo("\"[01]\"");
    assertThat(CanonicalArguments.of("{\"a\":1} trailing")).startsWith("\"");
    assertThat(CanonicalArguments.of("{'a':1}")).startsWith("\"");
    assertThat(CanonicalArguments.of("[NaN]")).startsWith("\"");
  }

  @Test
  void of_jsonWithDuplicateNames_isAPlainString() {
    assertThat(CanonicalArguments.of("{\"a\":1,\"a\":2}"))
        .isEqualTo("\"{\\\"a\\\":1,\\\"a\\\":2}\"");
  }

  @Test
  void of_jsonNestedTooDeep_isAPlainString() {
    String deep =
        "[".repeat(CanonicalArguments.MAX_DEPTH + 2) + "]".repeat(CanonicalArguments.MAX_DEPTH + 2);
    assertThat(CanonicalArguments.of(deep)).startsWith("\"[[");
  }

  @Test
  void of_jsonStringsWithEscapes_areDecodedAndEscapedCanonically() {
    assertThat(CanonicalArguments.of("[\"\\u0041\\/\\n\\u00e9\\ud83d\\ude00\"]"))
        .isEqualTo("[\"A/\\n\u00e9\ud83d\ude00\"]");
    assertThat(CanonicalArguments.of("[\"\\u001f\"]")).isEqualTo("[\"\\u001f\"]");
  }

  @Test
  void of_stringsInsideMaps_areNeverParsed() {
    assertThat(CanonicalArguments.of(Map.of("q", "[1.0]"))).isEqualTo("{\"q\":\"[1.0]\"}");
  }

  @Test
  void of_controlCharactersAndQuotes_areEscaped() {
    assertThat(CanonicalArguments.of(List.of("a\"b\\c\td\u0001")))
        .isEqualTo("[\"a\\\"b\\\\c\\td\\u0001\"]");
  }

  @Test
  void of_valueTypes_areStrings() {
    var uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(
            CanonicalArguments.of(
                List.of(
                    uuid,
                    URI.create("https://x.test/a"),
                    LocalDate.of(2026, 1, 2),
                    Duration.ofSeconds(90),
                    Color.RED,
                    'c')))
        .isEqualTo(
            "[\"123e4567-e89b-12d3-a456-426614174000\",\"https://x.test/a\",\"2026-01-02\","
                + "\"PT1M30S\",\"RED\",\"c\"]");
  }

  @Test
  void of_null_isNull() {
    assertThat(CanonicalArguments.of(null)).isEqualTo("null");
    assertThat(CanonicalArguments.of(Arrays.asList(1, null))).isEqualTo("[1,null]");
  }

  @Test
  void of_privateRecord_isReadThroughItsAccessors() {
    assertThat(CanonicalArguments.of(new Hidden("s"))).isEqualTo("{\"secret\":\"s\"}");
  }

  @Test
  void of_unsupportedType_isRejectedWithItsPath() {
    assertThatThrownBy(() -> CanonicalArguments.of(Map.of("items", List.of(1, new Object()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("arguments.items[1]: unsupported type java.lang.Object");
  }

  @Test
  void of_nonFiniteNumber_isRejected() {
    assertThatThrownBy(() -> CanonicalArguments.of(Map.of("x", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arguments.x")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> CanonicalArguments.of(List.of(Float.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arguments[0]");
  }

  @Test
  void of_cyclicStructure_isRejected() {
    var list = new ArrayList<Object>();
    list.add(list);
    assertThatThrownBy(() -> CanonicalArguments.of(list))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than");
  }

  @Test
  void of_mapKeysThatCollideAsText_areRejected() {
    var map = new HashMap<Object, Object>();
    map.put(1, "int");
    map.put("1", "string");
    assertThatThrownBy(() -> CanonicalArguments.of(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two map keys have the same text \"1\"");
  }

  @Test
  void of_nullMapKey_isRejected() {
    var map = new HashMap<Object, Object>();
    map.put(null, 1);
    assertThatThrownBy(() -> CanonicalArguments.of(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a map key is null");
  }

  @Test
  void of_cartQueryRecord_matchesTheReadmeForm() {
    assertThat(CanonicalArguments.of(new CartQuery("user_1"))).isEqualTo("{\"userId\":\"user_1\"}");
  }
}
