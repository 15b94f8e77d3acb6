package dev.sandboxkit.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.BubblewrapAvailableCondition.Decision;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each row of the {@link EnabledIfBubblewrapAvailable} decision. */
class BubblewrapAvailableConditionTest {
  static final Optional<String> NO_BWRAP = Optional.of("bwrap is not installed (apt-get install bubblewrap)");

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"true", "false", "1", ""})
  void availableIsEnabledWhateverCiSays(String ci) {
    assertInstanceOf(Decision.Enabled.class, BubblewrapAvailableCondition.decide(Optional.empty(), ci));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"false", "0", "", "no"})
  void missingOutsideCiIsSkippedWithTheReason(String ci) {
    Decision d = BubblewrapAvailableCondition.decide(NO_BWRAP, ci);
    assertEquals(new Decision.Disabled(NO_BWRAP.get()), d);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "True", " true ", "1"})
  void missingInCiFailsInsteadOfSkipping(String ci) {
    Decision.Fail f = assertInstanceOf(Decision.Fail.class, BubblewrapAvailableCondition.decide(NO_BWRAP, ci));
    assertTrue(f.message().contains("bwrap is not installed"), f.message());
    assertTrue(f.message().contains("not skip"), f.message());
  }

  @Test
  void missingRows() {
    assertEquals(Optional.empty(), BubblewrapAvailableCondition.missing("Linux", true, "/g.jar", true));
    assertEquals(NO_BWRAP, BubblewrapAvailableCondition.missing("Linux", false, "/g.jar", true));
    assertTrue(BubblewrapAvailableCondition.missing("Windows 11", true, "/g.jar", true).orElseThrow()
        .startsWith("not a Linux host"));
    assertTrue(BubblewrapAvailableCondition.missing("Linux", true, null, false).orElseThrow()
        .contains("sandboxkit.guest.jar=null"));
    assertTrue(BubblewrapAvailableCondition.missing("Linux", true, "/nope.jar", false).orElseThrow()
        .contains("/nope.jar"));
  }
}
