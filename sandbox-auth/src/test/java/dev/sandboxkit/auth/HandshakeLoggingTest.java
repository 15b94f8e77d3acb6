package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failing handshake logs its reason, and no log text ever holds the nonce or the bytes received. */
class HandshakeLoggingTest {
  private static final byte[] SECRET = NonceTest.sequential();
  private static final Nonce NONCE = Nonce.fromBytes(SECRET);

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Logger handlerLogger = Logger.getLogger(HandshakeHandler.class.getName());
  private Level oldLevel;
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          StringWriter w = new StringWriter();
          w.append(formatter.format(r));
          if (r.getThrown() != null) {
            r.getThrown().printStackTrace(new PrintWriter(w));
          }
          lines.add(w.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureEverything() {
    oldLevel = handlerLogger.getLevel();
    handlerLogger.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void restore() {
    root.removeHandler(capture);
    handlerLogger.setLevel(oldLevel);
  }

  private EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast("handshake", new HandshakeHandler(NONCE, Duration.ofMillis(200)));
    return ch;
  }

  @Test
  void failedHandshakesLogTheReasonButNoSecretBytes() {
    byte[] nearlyRight = Handshake.encode(NONCE, ChannelRole.STDOUT);
    nearlyRight[31] ^= 1; // everything but one bit is the secret
    EmbeddedChannel wrong = channel();
    wrong.writeInbound(Unpooled.wrappedBuffer(nearlyRight));
    wrong.finishAndReleaseAll();

    EmbeddedChannel unknownRole = channel();
    byte[] badRole = Handshake.encode(NONCE, ChannelRole.STDOUT);
    badRole[32] = 7;
    unknownRole.writeInbound(Unpooled.wrappedBuffer(badRole));
    unknownRole.finishAndReleaseAll();

    EmbeddedChannel shortRead = channel();
    shortRead.writeInbound(Unpooled.wrappedBuffer(Handshake.encode(NONCE, ChannelRole.STDOUT), 0, 20));
    shortRead.close();
    shortRead.finishAndReleaseAll();

    EmbeddedChannel deadline = channel();
    deadline.writeInbound(Unpooled.wrappedBuffer(SECRET, 0, 31));
    deadline.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    deadline.runPendingTasks();
    deadline.finishAndReleaseAll();

    String all = String.join("\n", lines);
    for (String reason : new String[] {"WRONG_NONCE", "UNKNOWN_ROLE", "SHORT_READ", "DEADLINE"}) {
      assertTrue(all.contains(reason), "a log line names " + reason + ":\n" + all);
    }
    NonceTest.assertNoTraceOf(SECRET, all);
    byte[] sentNonce = java.util.Arrays.copyOf(nearlyRight, 32);
    NonceTest.assertNoTraceOf(sentNonce, all);
  }
}
