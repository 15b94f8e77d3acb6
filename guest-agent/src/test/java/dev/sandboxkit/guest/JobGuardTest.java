package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.guest.job.JobProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobGuardTest {
  /** Records kills; never a real process. */
  private static final class FakeJob implements JobProcess {
    final List<Duration> kills = new ArrayList<>();

    @Override public long pid() { return 42; }
    @Override public OutputStream stdin() { return OutputStream.nullOutputStream(); }
    @Override public InputStream stdout() { return InputStream.nullInputStream(); }
    @Override public InputStream stderr() { return InputStream.nullInputStream(); }
    @Override public boolean waitFor(long millis) { return false; }
    @Override public int exitCode() { return 0; }

    @Override
    public List<Long> killTree(Duration deadline) {
      kills.add(deadline);
      return List.of(7L);
    }
  }

  @Test
  void shutdownKillsTheLastJobsTreeAndRefusesNewJobs() throws Exception {
    FakeJob fake = new FakeJob();
    JobGuard guard = new JobGuard((script, cwd, env) -> fake);
    assertEquals(List.of(), new JobGuard((script, cwd, env) -> fake).shutdown(Duration.ofSeconds(1)),
        "no job started: nothing to kill");
    guard.start("true", null);
    assertEquals(List.of(7L), guard.shutdown(Duration.ofSeconds(3)), "survivors are reported");
    assertEquals(List.of(Duration.ofSeconds(3)), fake.kills);
    IOException e = assertThrows(IOException.class, () -> guard.start("true", null));
    assertTrue(e.getMessage().contains("lifeline closed"), e.getMessage());
  }
}
