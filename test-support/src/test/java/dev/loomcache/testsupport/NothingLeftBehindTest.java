package dev.loomcache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.internal.Diagnostics;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Drives the extension against the stand-in Diagnostics of this module's test sources. */
class NothingLeftBehindTest {
  private static ExtensionContext context(String displayName) {
    return (ExtensionContext)
        Proxy.newProxyInstance(
            ExtensionContext.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getDisplayName")) {
                return displayName;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @AfterEach
  void clear() {
    Diagnostics.LEFT.clear();
  }

  @Test
  void new_enablesTracking() {
    Diagnostics.enabled = false;
    new NothingLeftBehind();
    assertThat(Diagnostics.enabled).isTrue();
  }

  @Test
  void afterEach_nothingLeft_passes_andResets() {
    int resets = Diagnostics.resets;
    new NothingLeftBehind().afterEach(context("clean()"));
    assertThat(Diagnostics.resets).isEqualTo(resets + 1);
  }

  @Test
  void afterEach_leftoverThatClearsWithinTheGrace_passes() throws InterruptedException {
    Diagnostics.LEFT.add("FlightTable: 1 flight(s) left");
    Thread finisher =
        Thread.ofVirtual()
            .start(() -> {
              Polling.pause(Duration.ofMillis(50));
              Diagnostics.LEFT.clear();
            });
    new NothingLeftBehind().afterEach(context("finishing()"));
    finisher.join();
  }

  @Test
  void afterEach_leftoverThatStays_failsNamingTheTestAndTheLeftover_andResets() {
    Diagnostics.LEFT.add("KeyLanes: lanes of keys [k] still held");
    int resets = Diagnostics.resets;
    assertThatThrownBy(() -> new NothingLeftBehind().afterEach(context("leaky()")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("leaky() left engine state behind")
        .hasMessageContaining("KeyLanes: lanes of keys [k] still held");
    assertThat(Diagnostics.resets).isEqualTo(resets + 1);
    assertThat(Diagnostics.leftovers()).isEmpty();
  }
}
