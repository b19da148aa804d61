package dev.loomcache.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.redis.internal.SenderSequences.Verdict;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SenderSequencesTest {
  private static final long NO_WARMUP = 0;
  private static final long LONG_WARMUP = Duration.ofHours(1).toNanos();

  @Test
  void change_inOrder_isNoLoss() {
    var sequences = new SenderSequences(NO_WARMUP);
    assertThat(sequences.change("a", 1, 1)).isEqualTo(Verdict.NONE);
    assertThat(sequences.change("a", 1, 2)).isEqualTo(Verdict.NONE);
    assertThat(sequences.heartbeat("a", 1, 2, 1_000)).isEqualTo(Verdict.NONE);
  }

  @Test
  void change_outOfOrderBeforeTheWatermark_isNoLoss() {
    var sequences = new SenderSequences(NO_WARMUP);
    sequences.change("a", 1, 1);
    assertThat(sequences.change("a", 1, 3)).isEqualTo(Verdict.NONE); // 2 is still on its way
    assertThat(sequences.change("a", 1, 2)).isEqualTo(Verdict.NONE);
    assertThat(sequences.heartbeat("a", 1, 3, 1_000)).isEqualTo(Verdict.NONE);
  }

  @Test
  void heartbeat_pastAnUnseenNumber_isAGap_reportedOnce() {
    var sequences = new SenderSequences(NO_WARMUP);
    sequences.change("a", 1, 1);
    sequences.change("a", 1, 3);
    assertThat(sequences.heartbeat("a", 1, 3, 1_000)).isEqualTo(Verdict.GAP); // 2 was lost
    assertThat(sequences.heartbeat("a", 1, 3, 1_000)).isEqualTo(Verdict.NONE);
    assertThat(sequences.change("a", 1, 2)).isEqualTo(Verdict.NONE); // arrived late after all
    assertThat(sequences.change("a", 1, 4)).isEqualTo(Verdict.NONE);
  }

  @Test
  void heartbeat_withAWatermarkBelowWhatIsInFlight_isNoLoss() {
    var sequences = new SenderSequences(NO_WARMUP);
    sequences.change("a", 1, 1);
    sequences.change("a", 1, 3);
    assertThat(sequences.heartbeat("a", 1, 1, 1_000)).isEqualTo(Verdict.NONE); // 2 still in flight
  }

  @Test
  void newEpoch_isARestart() {
    var sequences = new SenderSequences(NO_WARMUP);
    sequences.change("a", 1, 1);
    assertThat(sequences.heartbeat("a", 2, 0, 1_000)).isEqualTo(Verdict.RESTART);
    assertThat(sequences.change("a", 2, 1)).isEqualTo(Verdict.NONE);
  }

  @Test
  void unknownSender_withUsedNumbers_isAGapOnlyAfterTheWarmup() {
    var warm = new SenderSequences(NO_WARMUP);
    LockSupport.parkNanos(1_000);
    assertThat(warm.change("a", 1, 5)).isEqualTo(Verdict.GAP);
    assertThat(warm.heartbeat("b", 1, 7, 1_000)).isEqualTo(Verdict.GAP);
    assertThat(warm.change("c", 1, 1)).isEqualTo(Verdict.NONE); // a new sender's first change

    var justSubscribed = new SenderSequences(LONG_WARMUP);
    assertThat(justSubscribed.change("a", 1, 5)).isEqualTo(Verdict.NONE);
    assertThat(justSubscribed.heartbeat("b", 1, 7, 1_000)).isEqualTo(Verdict.NONE);
  }

  @Test
  void reset_forgetsSenders_andRestartsTheWarmup() {
    var sequences = new SenderSequences(LONG_WARMUP);
    sequences.change("a", 1, 1);
    sequences.reset();
    assertThat(sequences.size()).isZero();
    assertThat(sequences.heartbeat("a", 1, 9, 1_000)).isEqualTo(Verdict.NONE); // a new baseline
  }

  @Test
  void goodbye_checksTheLastWatermark_andForgetsTheSender() {
    var sequences = new SenderSequences(NO_WARMUP);
    sequences.change("a", 1, 1);
    assertThat(sequences.goodbye("a", 1, 2)).isEqualTo(Verdict.GAP);
    assertThat(sequences.size()).isZero();
    sequences.change("b", 1, 1);
    assertThat(sequences.goodbye("b", 1, 1)).isEqualTo(Verdict.NONE);
  }

  @Test
  void sweepSilent_forgetsSendersWhoseHeartbeatsStopped_butNotThoseThatNeverSentOne() {
    var sequences = new SenderSequences(LONG_WARMUP);
    sequences.heartbeat("a", 1, 0, 1); // silent after 3 ms and the slack (1 s)
    sequences.change("b", 1, 1); // never announced an interval: not judged by silence
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int silent = 0;
    while (silent == 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      silent = sequences.sweepSilent();
    }
    assertThat(silent).isEqualTo(1);
    assertThat(sequences.size()).isEqualTo(1);
  }

  @Test
  void tooManyNumbersWaitingForAPredecessor_isAGap() {
    var sequences = new SenderSequences(NO_WARMUP);
    sequences.change("a", 1, 1);
    Verdict last = Verdict.NONE;
    for (long seq = 3; seq <= SenderSequences.MAX_PENDING + 3 && last == Verdict.NONE; seq++) {
      last = sequences.change("a", 1, seq);
    }
    assertThat(last).isEqualTo(Verdict.GAP);
  }
}
