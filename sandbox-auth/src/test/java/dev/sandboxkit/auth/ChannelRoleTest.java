package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Role bytes 0..3, every other byte rejected, stable labels. */
class ChannelRoleTest {

  @Test
  void wireValuesRoundTrip() {
    assertEquals(List.of(ChannelRole.CONTROL, ChannelRole.STDIN, ChannelRole.STDOUT, ChannelRole.STDERR),
        List.of(ChannelRole.values()));
    for (ChannelRole r : ChannelRole.values()) {
      assertEquals(r.ordinal(), r.wireValue());
      assertEquals(Optional.of(r), ChannelRole.fromWire(r.wireValue()));
    }
  }

  @Test
  void everyOtherByteIsRejected() {
    for (int b = 4; b <= 255; b++) {
      assertTrue(ChannelRole.fromWire(b).isEmpty(), "byte " + b);
    }
    for (int b : new int[] {-1, -2, -128, -255, -256, Integer.MIN_VALUE, 256, 0x10000, Integer.MAX_VALUE}) {
      assertTrue(ChannelRole.fromWire(b).isEmpty(), "value " + b);
    }
    for (byte signed : new byte[] {(byte) 0x80, (byte) 0xFE, (byte) 0xFF}) {
      assertTrue(ChannelRole.fromWire(signed).isEmpty(), "signed byte " + signed);
    }
  }

  @Test
  void labelsAreStable() {
    assertEquals("control", ChannelRole.CONTROL.label());
    assertEquals("stdin", ChannelRole.STDIN.label());
    assertEquals("stdout", ChannelRole.STDOUT.label());
    assertEquals("stderr", ChannelRole.STDERR.label());
  }
}
