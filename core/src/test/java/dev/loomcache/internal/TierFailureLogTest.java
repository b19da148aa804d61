package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One WARN line per failure kind at most every 10 s, with the cause's message and no stack trace;
 * the trace at DEBUG. (The first failure used to log a 20–60-line stack trace at WARN.)
 */
class TierFailureLogTest {
  private final RecordingLogger logger = new RecordingLogger();
  private final AtomicLong now = new AtomicLong(1_000);
  private final TierFailureLog log = new TierFailureLog(logger, now::get);

  record Entry(Level level, String message, @Nullable Throwable throwable) {}

  /** Records every call, at every level. */
  static final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    final transient List<Entry> entries = new CopyOnWriteArrayList<>();

    RecordingLogger() {
      this.name = TierFailureLog.LOGGER_NAME;
    }

    List<Entry> at(Level level) {
      return entries.stream().filter(e -> e.level() == level).toList();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return RecordingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      entries.add(
          new Entry(level, MessageFormatter.basicArrayFormat(pattern, arguments), throwable));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  private static final RuntimeException TIMEOUT =
      new IllegalStateException("Redis did not answer within 100 ms");

  @Test
  void failed_first_logsOneWarnLineWithTheMessage_andTheStackTraceAtDebug() {
    log.failed("redis", "read", "u1", TIMEOUT);

    assertThat(logger.at(Level.WARN))
        .singleElement()
        .satisfies(warn -> {
          assertThat(warn.message())
              .isEqualTo(
                  "Tier 'redis' failed to read key 'u1'; carrying on"
                      + " without it: java.lang.IllegalStateException: Redis did not answer within 100 ms");
          assertThat(warn.message()).doesNotContain("\n");
          assertThat(warn.throwable()).as("no stack trace at WARN").isNull();
        });
    assertThat(logger.at(Level.DEBUG))
        .singleElement()
        .satisfies(debug -> assertThat(debug.throwable()).isSameAs(TIMEOUT));
  }

  @Test
  void failed_sameKindWithin10s_isCountedInTheNextWarning() {
    log.failed("redis", "read", "u1", TIMEOUT);
    for (int i = 0; i < 100; i++) {
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
      log.failed("redis", "read", "u" + i, TIMEOUT);
    }
    assertThat(logger.at(Level.WARN)).hasSize(1);

    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    log.failed("redis", "read", "u2", TIMEOUT);

    assertThat(logger.at(Level.WARN)).hasSize(2);
    assertThat(logger.at(Level.WARN).getLast().message())
        .endsWith(" (100 similar failures since the last warning)");
  }

  @Test
  void failed_otherOperationOrTierOrException_getsALineOfItsOwn() {
    log.failed("redis", "read", "u1", TIMEOUT);
    log.failed("redis", "write", "u1", TIMEOUT);
    log.failed("chronicle", "read", "u1", TIMEOUT);
    log.failed("redis", "read", "u1", new UncheckedIOException(new IOException("disk full")));
    log.failed("redis", "read", "u1", TIMEOUT);

    assertThat(logger.at(Level.WARN)).extracting(Entry::message).hasSize(4);
  }

  @Test
  void failed_withACause_namesTheRootCause() {
    var failure =
        new IllegalStateException(
            "write failed",
            new UncheckedIOException("socket", new IOException("Connection reset by peer")));

    log.failed("redis", "write", "u1", failure);

    assertThat(logger.at(Level.WARN).getFirst().message())
        .endsWith(
            ": "
                + "java.lang.IllegalStateException: write failed (caused by java.io.IOException:"
                + " Connection reset by peer)");
  }
}
