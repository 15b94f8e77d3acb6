package dev.sandboxkit.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The authentication prefix of every host-to-guest socket: 32 nonce bytes then one role byte. The
 * host writes it and reads nothing back; the guest verifies it (see {@link HandshakeHandler} for
 * Netty, or {@link #read} for blocking streams).
 */
public final class Handshake {
  /** Handshake length in bytes. */
  public static final int LENGTH = Nonce.LENGTH + 1;

  private Handshake() {}

  /** The 33 bytes the host writes on a fresh socket. */
  public static byte[] encode(Nonce nonce, ChannelRole role) {
    byte[] b = new byte[LENGTH];
    System.arraycopy(nonce.toBytes(), 0, b, 0, Nonce.LENGTH);
    b[Nonce.LENGTH] = role.wireValue();
    return b;
  }

  /** Host side: writes nonce+role and flushes. */
  public static void write(OutputStream out, Nonce nonce, ChannelRole role) throws IOException {
    out.write(encode(nonce, role));
    out.flush();
  }

  /**
   * Guest side, blocking: reads exactly 33 bytes and verifies them. Bound the wait with a socket
   * read timeout; a {@link java.net.SocketTimeoutException} is reported as {@code DEADLINE}.
   */
  public static ChannelRole read(InputStream in, Nonce expected) throws HandshakeException {
    byte[] b = new byte[LENGTH];
    int got = 0;
    try {
      while (got < LENGTH) {
        int n = in.read(b, got, LENGTH - got);
        if (n < 0) {
          break;
        }
        got += n;
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new HandshakeException(
          HandshakeException.Reason.DEADLINE,
          "handshake not complete before the deadline (" + got + " of " + LENGTH + " bytes)");
    } catch (IOException e) {
      throw new HandshakeException(
          HandshakeException.Reason.SHORT_READ,
          "handshake read failed after " + got + " of " + LENGTH + " bytes: " + e.getMessage());
    }
    if (got < LENGTH) {
      throw new HandshakeException(
          HandshakeException.Reason.SHORT_READ,
          "peer closed after " + got + " of " + LENGTH + " handshake bytes");
    }
    return verify(b, expected);
  }

  /** Verifies a complete 33-byte handshake: nonce in constant time first, then the role. */
  public static ChannelRole verify(byte[] handshake, Nonce expected) throws HandshakeException {
    if (handshake.length != LENGTH) {
      throw new HandshakeException(
          HandshakeException.Reason.SHORT_READ,
          "handshake is " + LENGTH + " bytes, got " + handshake.length);
    }
    if (!expected.matches(handshake, 0)) {
      throw new HandshakeException(HandshakeException.Reason.WRONG_NONCE, "wrong nonce");
    }
    int roleByte = handshake[Nonce.LENGTH] & 0xFF;
    return ChannelRole.fromWire(roleByte)
        .orElseThrow(
            () ->
                new HandshakeException(
                    HandshakeException.Reason.UNKNOWN_ROLE, "unknown channel role byte " + roleByte));
  }
}
