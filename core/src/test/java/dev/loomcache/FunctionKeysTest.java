package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Seed defect 11: the Python key builders collide on {@code 1}, {@code 1.0} and {@code True}, on a
 * list and a tuple, on two different function arguments, and on equal-looking objects meant by
 * identity. Here every argument is keyed by its own {@code equals}, so none of these collide.
 */
class FunctionKeysTest {
  private final List<Object> runs = new ArrayList<>();
  private final CachedFunction<Object, String> fn =
      Loomcache.newBuilder()
          .buildFunction(a -> {
            runs.add(a);
            return "run " + runs.size();
          });

  @Test
  void oneOnePointZeroAndTrue_areThreeKeys() {
    assertThat(List.of(fn.apply(1), fn.apply(1.0), fn.apply(true)))
        .containsExactly("run 1", "run 2", "run 3");
    assertThat(List.of(fn.apply(1), fn.apply(1.0), fn.apply(true)))
        .containsExactly("run 1", "run 2", "run 3");
  }

  @Test
  void intAndLongOfTheSameValue_areTwoKeys() {
    assertThat(fn.apply(1)).isEqualTo("run 1");
    assertThat(fn.apply(1L)).isEqualTo("run 2");
    assertThat(fn.apply((short) 1)).isEqualTo("run 3");
    assertThat(fn.apply(1L)).isEqualTo("run 2");
  }

  @Test
  void aListAndAnArrayWithEqualElements_areTwoKeys() {
    assertThat(fn.apply(List.of(1, 2))).isEqualTo("run 1");
    assertThat(fn.apply(new Integer[] {1, 2})).isEqualTo("run 2");
    assertThat(fn.apply(new int[] {1, 2})).isEqualTo("run 3");
    assertThat(fn.apply(Set.of(1))).isEqualTo("run 4");
  }

  @Test
  void equalLists_shareAKey_whateverTheirClass() {
    // List.equals is by elements: the caller asked for equals semantics, and gets them.
    assertThat(fn.apply(List.of(1, 2))).isEqualTo("run 1");
    assertThat(fn.apply(new ArrayList<>(List.of(1, 2)))).isEqualTo("run 1");
  }

  @Test
  void arrays_areKeyedByContentAndComponentType() {
    assertThat(fn.apply(new int[] {1, 2})).isEqualTo("run 1");
    assertThat(fn.apply(new int[] {1, 2})).isEqualTo("run 1");
    assertThat(fn.apply(new long[] {1, 2})).isEqualTo("run 2");
    assertThat(fn.apply(new Integer[] {1, 2})).isEqualTo("run 3");
    assertThat(fn.apply(new Object[] {1, 2})).isEqualTo("run 4");
    assertThat(fn.apply(new int[][] {{1}, {2}})).isEqualTo("run 5");
    assertThat(fn.apply(new int[][] {{1}, {2}})).isEqualTo("run 5");
    assertThat(fn.apply(new Object[] {new int[] {1}})).isEqualTo("run 6");
    assertThat(fn.apply(new Object[] {new long[] {1}})).isEqualTo("run 7");
  }

  @Test
  void anArrayChangedAfterTheCall_doesNotChangeTheCachedKey() {
    var array = new String[] {"a", "b"};
    assertThat(fn.apply(array)).isEqualTo("run 1");

    array[0] = "z";

    assertThat(fn.apply(array)).isEqualTo("run 2");
    assertThat(fn.apply(new String[] {"a", "b"})).isEqualTo("run 1");
    fn.invalidate(new String[] {"a", "b"});
    assertThat(fn.apply(new String[] {"a", "b"})).isEqualTo("run 3");
  }

  @Test
  void twoDifferentFunctionArguments_areTwoKeys_andTheSameOneIsOne() {
    Supplier<String> first = () -> "x";
    Supplier<String> second = () -> "x";

    assertThat(fn.apply(first)).isEqualTo("run 1");
    assertThat(fn.apply(second)).isEqualTo("run 2");
    assertThat(fn.apply(first)).isEqualTo("run 1");
  }

  /** A class that does not override equals: each instance is itself, whatever its fields. */
  static final class Connection {
    final String url;

    Connection(String url) {
      this.url = url;
    }

    @Override
    public String toString() {
      return "Connection(" + url + ")";
    }
  }

  record Point(int x, int y) {}

  @Test
  void instancesWithEqualFields_areTwoKeys_whenTheirClassKeepsIdentity() {
    var a = new Connection("db");
    var b = new Connection("db");

    assertThat(a.toString()).isEqualTo(b.toString());
    assertThat(fn.apply(a)).isEqualTo("run 1");
    assertThat(fn.apply(b)).isEqualTo("run 2");
    assertThat(fn.apply(a)).isEqualTo("run 1");
  }

  @Test
  void instancesWithEqualFields_shareAKey_whenTheirClassDefinesEquality() {
    assertThat(fn.apply(new Point(1, 2))).isEqualTo("run 1");
    assertThat(fn.apply(new Point(1, 2))).isEqualTo("run 1");
    assertThat(fn.apply(new Point(2, 1))).isEqualTo("run 2");
  }

  @Test
  void nullAndTheStringNull_areTwoKeys() {
    assertThat(fn.apply(null)).isEqualTo("run 1");
    assertThat(fn.apply("null")).isEqualTo("run 2");
    assertThat(fn.apply(new Object[] {null})).isEqualTo("run 3");
    assertThat(fn.apply(null)).isEqualTo("run 1");
    assertThat(runs).hasSize(3);
    assertThat(Arrays.asList(runs.get(0), runs.get(1))).containsExactly(null, "null");
  }
}
