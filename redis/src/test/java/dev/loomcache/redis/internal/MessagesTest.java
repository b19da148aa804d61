package dev.loomcache.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessagesTest {
  private final Messages messages = new Messages("chan", "me", 42);

  private static Messages.Message parse(byte[] bytes) {
    return Messages.parse(new String(bytes, UTF_8));
  }

  @Test
  void keyChanged_roundTrips_withSenderEpochAndNumber() {
    var parsed = parse(messages.keyChanged("user:1 with spaces\nand a newline", 7));
    assertThat(parsed)
        .isEqualTo(new Messages.Message("me", 42, 7, 'k', "user:1 with spaces\nand a newline"));
    assertThat(messages.isOwn(parsed)).isTrue();
    assertThat(new Messages("chan", "me", 43).isOwn(parsed)).isFalse(); // a later incarnation
  }

  @Test
  void heartbeat_carriesTheWatermark_belowTheOldestNumberInFlight() {
    long first = messages.take();
    long second = messages.take();
    messages.release(second);
    assertThat(parse(messages.heartbeat(500)))
        .isEqualTo(new Messages.Message("me", 42, first - 1, 'h', "500"));
    messages.release(first);
    assertThat(messages.watermark()).isEqualTo(second);
    assertThat(parse(messages.goodbye()).seq()).isEqualTo(second);
  }

  @Test
  void allChangedAndAcknowledgement_carryTheRequestId() {
    assertThat(parse(messages.allChanged(3, "req-1")))
        .isEqualTo(new Messages.Message("me", 42, 3, '*', "req-1"));
    assertThat(parse(messages.acknowledgement("req-1")))
        .isEqualTo(new Messages.Message("me", 42, 0, 'a', "req-1"));
  }

  @Test
  void parse_readsMessagesOfEarlierVersions_withoutASequence() {
    assertThat(Messages.parse("old-id\nkuser:1"))
        .isEqualTo(
            new Messages.Message(
                "old-id", Messages.UNSEQUENCED, Messages.UNSEQUENCED, 'k', "user:1"));
    assertThat(Messages.parse("old-id\n*").kind()).isEqualTo('*');
  }

  @Test
  void parse_rejectsMalformedMessages() {
    assertThat(Messages.parse("no newline")).isNull();
    assertThat(Messages.parse("id 1 2\n")).isNull();
    assertThat(Messages.parse("id x 2\nkkey")).isNull();
    assertThat(Messages.parse("id 1\nkkey")).isNull();
    assertThat(Messages.parse("\nkkey")).isNull();
  }

  @Test
  void instanceId_withASpace_isRejected() {
    assertThatThrownBy(() -> new Messages("chan", "a b", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without spaces");
  }
}
