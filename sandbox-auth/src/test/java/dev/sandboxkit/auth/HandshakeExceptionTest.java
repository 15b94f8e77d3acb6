package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A rejected handshake is an expected hostile event: its exception must stay cheap. */
class HandshakeExceptionTest {
  @Test
  void carriesNoStackTraceButKeepsReasonAndMessage() {
    HandshakeException e = new HandshakeException(HandshakeException.Reason.WRONG_NONCE, "wrong nonce");
    assertEquals(0, e.getStackTrace().length);
    assertEquals(HandshakeException.Reason.WRONG_NONCE, e.reason());
    assertEquals("wrong nonce", e.getMessage());
  }

  @Test
  void aWrongNonceFromVerifyHasNoStackTrace() throws Exception {
    byte[] wire = Handshake.encode(Nonce.generate(), ChannelRole.CONTROL);
    HandshakeException e = assertThrows(HandshakeException.class, () -> Handshake.verify(wire, Nonce.generate()));
    assertEquals(HandshakeException.Reason.WRONG_NONCE, e.reason());
    assertEquals(0, e.getStackTrace().length);
  }
}
