package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Record invariants of the messages themselves. */
class ControlMessageTest {

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE, 0x1_0000_0000L, Long.MAX_VALUE})
  void timeoutOutOfTheUnsigned32BitRangeIsRejectedAtConstruction(long timeout) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ControlMessage.Exec("e", "s", "w", timeout));
    assertTrue(e.getMessage().contains(Long.toString(timeout)), e.getMessage());
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 0xFFFF_FFFFL})
  void timeoutBoundsAreAccepted(long timeout) {
    assertEquals(timeout, new ControlMessage.Exec("e", "s", "w", timeout).timeoutMs());
  }

  @Test
  void nullFieldsAreRejected() {
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec(null, "s", "w", 0));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec("e", null, "w", 0));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec("e", "s", null, 0));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exit(null, 0, ""));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exit("e", 0, null));
  }

  @Test
  void execToStringNeverShowsTheScript() {
    String secret = "curl -H 'Authorization: hunter2' example";
    String s = new ControlMessage.Exec("id-1", secret, "C:\\w", 5).toString();
    assertFalse(s.contains("hunter2"), s);
    assertTrue(s.contains("id-1") && s.contains(secret.length() + " chars"), s);
  }

  @Test
  void typeTagsAndConstants() {
    assertEquals("Ready", ControlMessage.READY.type());
    assertEquals("StreamsReady", ControlMessage.STREAMS_READY.type());
    assertEquals("Ping", ControlMessage.PING.type());
    assertEquals("Pong", ControlMessage.PONG.type());
    assertEquals("Exec", new ControlMessage.Exec("", "", "", 0).type());
    assertEquals("Exit", new ControlMessage.Exit("", 0, "").type());
    assertEquals(new ControlMessage.Ping(), ControlMessage.PING);
  }
}
