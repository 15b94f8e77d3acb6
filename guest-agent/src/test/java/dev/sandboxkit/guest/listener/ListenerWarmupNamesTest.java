package dev.sandboxkit.guest.listener;

import org.junit.jupiter.api.Test;

/** The listener warm-up loads a JDK class by name and skips it when absent: a rename must turn this red. */
class ListenerWarmupNamesTest {
  @Test
  void theClassPreloadedByNameExists() throws Exception {
    Class.forName(ListenerWarmup.UNIX_SOCKETS, false, null);
  }
}
