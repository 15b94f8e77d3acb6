package dev.sandboxkit.guest.log;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * Netty's logging through {@link System.Logger}, INFO and above only (Netty's debug chatter is not
 * useful in the sandbox log). Without it Netty would log through java.util.logging, whose start-up
 * the agent avoids.
 */
final class NettyLoggerFactory extends InternalLoggerFactory {
  static final NettyLoggerFactory INSTANCE = new NettyLoggerFactory();

  private NettyLoggerFactory() {}

  @Override
  protected InternalLogger newInstance(String name) {
    return new NettyLogger(name, System.getLogger(name));
  }
}
