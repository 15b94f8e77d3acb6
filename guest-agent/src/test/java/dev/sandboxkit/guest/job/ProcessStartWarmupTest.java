package dev.sandboxkit.guest.job;

import org.junit.jupiter.api.Test;

/** The process-start warm-up loads a JDK class by name and skips it when absent: a rename must turn this red. */
class ProcessStartWarmupTest {
  @Test
  void theClassPreloadedByNameExists() throws Exception {
    Class.forName(ProcessStartWarmup.PROCESS_IMPL, false, null);
  }
}
