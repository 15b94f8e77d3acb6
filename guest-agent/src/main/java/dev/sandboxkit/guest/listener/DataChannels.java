package dev.sandboxkit.guest.listener;

import io.netty.channel.Channel;

/** The three authenticated data channels of one job. */
public record DataChannels(Channel stdin, Channel stdout, Channel stderr) {
  /**
   * The queue holding what the host sent on stdin, pulled by the job's stdin pump; still there when
   * the channel has already closed (its end of input is queued then).
   */
  public InboundQueue stdinQueue() {
    return InboundQueue.of(stdin);
  }

  /** Closes all three. */
  public void closeAll() {
    stdin.close();
    stdout.close();
    stderr.close();
  }
}
