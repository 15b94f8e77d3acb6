package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The JDK launch mechanism of jobs (issue 12, warm execution latency): VFORK where it is supported, else untouched. */
class LaunchMechanismTest {
  @Test
  void linuxUpToJava24StartsJobsWithoutTheJdksHelperExec() {
    assertEquals("VFORK", LaunchMechanism.choose(17, null, "Linux"));
    assertEquals("VFORK", LaunchMechanism.choose(24, null, "Linux"));
  }

  @Test
  void java25AndLaterKeepTheirDefaultNotADeprecatedMechanism() {
    assertNull(LaunchMechanism.choose(25, null, "Linux"));
    assertNull(LaunchMechanism.choose(26, null, "Linux"));
  }

  @Test
  void anExplicitChoiceIsKept() {
    assertNull(LaunchMechanism.choose(17, "POSIX_SPAWN", "Linux"));
    assertNull(LaunchMechanism.choose(17, "FORK", "Linux"));
  }

  @Test
  void otherSystemsAreLeftAlone() {
    assertNull(LaunchMechanism.choose(17, null, "Windows 11"));
    assertNull(LaunchMechanism.choose(17, null, "Mac OS X"));
  }
}
