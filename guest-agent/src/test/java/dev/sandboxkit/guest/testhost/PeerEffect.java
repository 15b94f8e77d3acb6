package dev.sandboxkit.guest.testhost;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.Nonce;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Hostile or broken peers, applied before the real host connects. */
public sealed interface PeerEffect {
  /** Opens a connection that misbehaves this way; the connection stays open. */
  SocketChannel apply(TestHost host, Nonce realNonce) throws IOException, dev.sandboxkit.auth.NonceException;

  /** A full handshake with a nonce that is not the agent's. */
  record WrongNonce(ChannelRole role) implements PeerEffect {
    @Override
    public SocketChannel apply(TestHost host, Nonce realNonce) throws IOException, dev.sandboxkit.auth.NonceException {
      SocketChannel ch = host.rawConnect();
      TestHost.writeAll(ch, Handshake.encode(Nonce.generate(), role));
      return ch;
    }
  }

  /** The right nonce with a role byte outside 0..3. */
  record UnknownRole(int roleByte) implements PeerEffect {
    @Override
    public SocketChannel apply(TestHost host, Nonce realNonce) throws IOException, dev.sandboxkit.auth.NonceException {
      SocketChannel ch = host.rawConnect();
      byte[] b = Handshake.encode(realNonce, ChannelRole.CONTROL);
      b[Nonce.LENGTH] = (byte) roleByte;
      TestHost.writeAll(ch, b);
      return ch;
    }
  }

  /** Only the first {@code n} handshake bytes, then silence. */
  record ShortWrite(int n) implements PeerEffect {
    @Override
    public SocketChannel apply(TestHost host, Nonce realNonce) throws IOException, dev.sandboxkit.auth.NonceException {
      SocketChannel ch = host.rawConnect();
      byte[] b = Handshake.encode(realNonce, ChannelRole.CONTROL);
      TestHost.writeAll(ch, java.util.Arrays.copyOf(b, n));
      return ch;
    }
  }

  /** Connects and never writes. */
  record Stall() implements PeerEffect {
    @Override
    public SocketChannel apply(TestHost host, Nonce realNonce) throws IOException, dev.sandboxkit.auth.NonceException {
      return host.rawConnect();
    }
  }

  /** A valid declaration of a role the real host will declare again. */
  record DuplicateRole(ChannelRole role) implements PeerEffect {
    @Override
    public SocketChannel apply(TestHost host, Nonce realNonce) throws IOException, dev.sandboxkit.auth.NonceException {
      return host.connectAs(role);
    }
  }
}
