package dev.loomcache.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void write_nestedValues_writesIndentedJson() {
    var map = new LinkedHashMap<String, Object>();
    map.put("name", "Loomcache");
    map.put("ratio", 0.5);
    map.put("count", 3L);
    map.put("ok", true);
    map.put("list", List.of(1, "two"));
    map.put("empty", Map.of());
    map.put("missing", null);
    assertThat(Json.write(map))
        .isEqualTo(
            """
            {
              "name": "Loomcache",
              "ratio": 0.5,
              "count": 3,
              "ok": true,
              "list": [
                1,
                "two"
              ],
              "empty": {},
              "missing": null
            }
            """);
  }

  @Test
  void write_specialCharacters_areEscaped() {
    assertThat(Json.write("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"\n");
  }

  @Test
  void write_nonFiniteNumbers_becomeNull() {
    assertThat(Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Float.NaN)))
        .isEqualTo("[\n  null,\n  null,\n  null\n]\n");
  }

  @Test
  void write_unsupportedTypeOrKey_throws() {
    assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write");
    assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("keys must be strings");
  }
}
