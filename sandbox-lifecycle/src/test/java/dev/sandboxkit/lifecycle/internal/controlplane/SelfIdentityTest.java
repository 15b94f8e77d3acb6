package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Issue 17 finding 7: the launcher's creation time in the marker is the exact FILETIME on Windows. */
class SelfIdentityTest {
  /** A creation time with 100 ns digits the JDK's millisecond start instant cannot carry. */
  static final long EXACT = 133_485_408_123_456_7L;

  @Test
  void windowsUsesGetProcessTimesNotTheMillisecondStartInstant() {
    Optional<VmProcId> jdk = Optional.of(new VmProcId(42, EXACT / 10_000 * 10_000));
    assertEquals(Optional.of(new VmProcId(42, EXACT)),
        SelfIdentity.choose(true, 42, () -> OptionalLong.of(EXACT), () -> jdk));
  }

  @Test
  void windowsWithoutGetProcessTimesHasNoIdentityRatherThanAWrongOne() {
    assertEquals(Optional.empty(), SelfIdentity.choose(true, 42, OptionalLong::empty,
        () -> Optional.of(new VmProcId(42, 5))));
  }

  @Test
  void elsewhereTheJdkIdentityIsUsed() {
    Optional<VmProcId> jdk = Optional.of(new VmProcId(42, 5));
    assertEquals(jdk, SelfIdentity.choose(false, 42, () -> {
      throw new AssertionError("no Win32 call off Windows");
    }, () -> jdk));
  }

  @Test
  void offWindowsTheWin32ProbeIsEmptyNotAnError() {
    if (!System.getProperty("os.name").startsWith("Windows")) {
      assertEquals(OptionalLong.empty(), SelfIdentity.win32CreationTime());
    }
  }
}
