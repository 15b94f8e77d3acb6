package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.guest.firewall.NetworkVerdict;
import dev.sandboxkit.guest.job.JobLauncher;
import dev.sandboxkit.guest.job.JobProcess;
import dev.sandboxkit.guest.listener.ControlInbox;
import dev.sandboxkit.guest.listener.DataChannels;
import dev.sandboxkit.guest.listener.InboundQueue;
import dev.sandboxkit.protocol.ControlMessage;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the agent announces, and what it does with an env it cannot apply. */
class ControlLoopCapabilitiesTest {
  /** A launcher that counts starts and never applies environment variables. */
  static final class NoEnvLauncher implements JobLauncher {
    final AtomicInteger starts = new AtomicInteger();

    @Override
    public JobProcess start(String scriptCode, Path workingDirectory, Map<String, String> environment) {
      starts.incrementAndGet();
      throw new AssertionError("must not be started");
    }
  }

  @Test
  void cancelIsAlwaysAnnouncedAndEnvOnlyWhenTheLauncherAppliesIt() {
    assertEquals(List.of("cancel"), ControlLoop.capabilities(new NoEnvLauncher()));
    JobLauncher withEnv = new JobLauncher() {
      @Override
      public JobProcess start(String s, Path w, Map<String, String> e) {
        throw new AssertionError();
      }

      @Override
      public boolean appliesEnvironment() {
        return true;
      }
    };
    assertEquals(List.of("cancel", "env"), ControlLoop.capabilities(withEnv));
  }

  @Test
  void anEnvTheLauncherCannotApplyIsRefusedNotDropped() throws Exception {
    NoEnvLauncher launcher = new NoEnvLauncher();
    EmbeddedChannel stdin = new EmbeddedChannel(new InboundQueue());
    EmbeddedChannel stdout = new EmbeddedChannel();
    EmbeddedChannel stderr = new EmbeddedChannel();
    ControlMessage.Exec exec = new ControlMessage.Exec("e-1", "echo $A", "", 0, Map.of("A", "b"));
    ControlMessage.Exit exit = new JobRun(exec, new DataChannels(stdin, stdout, stderr), launcher,
        NetworkVerdict.OK, new ControlInbox(), Duration.ofSeconds(1)).run();
    assertEquals("e-1", exit.execId());
    assertEquals(-1, exit.exitCode());
    assertTrue(exit.errorMessage().contains("environment variables"), exit.errorMessage());
    assertEquals(0, launcher.starts.get());
    assertFalse(stdout.isOpen() || stderr.isOpen() || stdin.isOpen(), "the data channels are closed");
  }
}
