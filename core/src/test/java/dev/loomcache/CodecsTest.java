package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class CodecsTest {
  record Point(int x, int y) implements Serializable {}

  @Test
  void keyCodecs_roundTrip() {
    assertThat(KeyCodec.string().decode(KeyCodec.string().encode("a:b"))).isEqualTo("a:b");
    assertThat(KeyCodec.ofLong().encode(42L)).isEqualTo("42");
    assertThat(KeyCodec.ofLong().decode("-7")).isEqualTo(-7L);
    assertThatThrownBy(() -> KeyCodec.ofLong().decode("x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueCodecs_roundTrip() {
    assertThat(ValueCodec.string().decode(ValueCodec.string().encode("héllo"))).isEqualTo("héllo");
    byte[] raw = {1, 2, 3};
    assertThat(ValueCodec.bytes().decode(ValueCodec.bytes().encode(raw))).containsExactly(1, 2, 3);
  }

  @Test
  void javaSerialization_requiresAFilter_andDecodesOnlyWhatItAllows() {
    assertThatThrownBy(() -> ValueCodec.javaSerialization(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ObjectInputFilter");

    ValueCodec<Point> points =
        ValueCodec.javaSerialization(
            ObjectInputFilter.Config.createFilter(Point.class.getName() + ";!*"));
    assertThat(points.decode(points.encode(new Point(1, 2)))).isEqualTo(new Point(1, 2));

    ValueCodec<ArrayList<String>> lists =
        ValueCodec.javaSerialization(
            ObjectInputFilter.Config.createFilter("java.util.ArrayList;!*"));
    byte[] smuggled =
        ValueCodec.<Point>javaSerialization(ObjectInputFilter.Config.createFilter("*"))
            .encode(new Point(3, 4));
    assertThatThrownBy(() -> lists.decode(smuggled)).isInstanceOf(CorruptValueException.class);

    ValueCodec<Object> objects =
        ValueCodec.javaSerialization(ObjectInputFilter.Config.createFilter("*"));
    assertThatThrownBy(() -> objects.encode(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Serializable");
  }

  @Test
  void signed_rejectsTamperedForeignAndTruncatedBytes_andShortKeys() {
    byte[] key = "0123456789abcdef".getBytes();
    ValueCodec<String> signed = ValueCodec.signed(ValueCodec.string(), key);
    byte[] good = signed.encode("payload");
    assertThat(signed.decode(good)).isEqualTo("payload");

    byte[] tampered = good.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> signed.decode(tampered))
        .isInstanceOf(CorruptValueException.class)
        .hasMessageContaining("signature");
    byte[] foreign =
        ValueCodec.signed(ValueCodec.string(), "fedcba9876543210".getBytes()).encode("payload");
    assertThatThrownBy(() -> signed.decode(foreign)).isInstanceOf(CorruptValueException.class);
    assertThatThrownBy(() -> signed.decode(new byte[5])).isInstanceOf(CorruptValueException.class);
    assertThatThrownBy(() -> ValueCodec.signed(ValueCodec.string(), new byte[8]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 bytes");
  }
}
