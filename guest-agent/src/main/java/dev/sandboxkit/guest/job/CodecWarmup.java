package dev.sandboxkit.guest.job;

import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;

/**
 * Loads and initializes the control-frame codec (Jackson) off the critical path: the agent's
 * start-up thread is busy binding the listener, and the first Ready / Exec would otherwise pay about
 * 100 ms of class loading while the host waits. Runs on the background start-up thread of {@link
 * PosixJobLauncher}; a failure only costs that time later.
 */
final class CodecWarmup {
  private static final System.Logger LOG = System.getLogger(CodecWarmup.class.getName());

  private CodecWarmup() {}

  static void run() {
    try {
      byte[] frame = FrameCodec.encode(new ControlMessage.Exec("warmup", "true", "", 0));
      FrameCodec.decode(frame, 0, frame.length);
      FrameCodec.encode(ControlMessage.READY);
      FrameCodec.encode(new ControlMessage.Exit("warmup", 0, ""));
    } catch (Exception | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "codec warm-up failed: {0}", e.toString());
    }
  }
}
