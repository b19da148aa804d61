package dev.loomcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyGlobTest {
  @Test
  void star_matchesAnyRun_includingTheEmptyOne() {
    KeyGlob glob = KeyGlob.of("user:*:profile");
    assertThat(glob.matches("user:1:profile")).isTrue();
    assertThat(glob.matches("user::profile")).isTrue();
    assertThat(glob.matches("user:1:2:profile")).isTrue();
    assertThat(glob.matches("user:1:profiles")).isFalse();
    assertThat(glob.matches("xuser:1:profile")).isFalse();
  }

  @Test
  void questionMark_matchesExactlyOneCharacter() {
    KeyGlob glob = KeyGlob.of("page:?");
    assertThat(glob.matches("page:1")).isTrue();
    assertThat(glob.matches("page:")).isFalse();
    assertThat(glob.matches("page:12")).isFalse();
  }

  @Test
  void otherCharacters_matchOnlyThemselves() {
    assertThat(KeyGlob.of("a[1]").matches("a[1]")).isTrue();
    assertThat(KeyGlob.of("a[1]").matches("a1")).isFalse();
    assertThat(KeyGlob.of("a.b").matches("axb")).isFalse();
  }

  @Test
  void severalStars_backtrack() {
    KeyGlob glob = KeyGlob.of("*a*b*c");
    assertThat(glob.matches("xxaxxbxxc")).isTrue();
    assertThat(glob.matches("abcabc")).isTrue();
    assertThat(glob.matches("acb")).isFalse();
    assertThat(KeyGlob.of("**").matchesEverything()).isTrue();
    assertThat(KeyGlob.of("*a").matchesEverything()).isFalse();
  }

  @Test
  void emptyOrNull_isRejected() {
    assertThatThrownBy(() -> KeyGlob.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use \"*\"");
    assertThatThrownBy(() -> KeyGlob.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("glob must not be null");
  }
}
