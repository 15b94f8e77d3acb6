package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.fail;

/** Small string assertions with readable failures. */
final class Asserts {
  private Asserts() {}

  static void assertContains(String actual, String... expected) {
    for (String e : expected) {
      if (actual == null || !actual.contains(e)) {
        fail("expected to contain <" + e + "> but was:\n" + actual);
      }
    }
  }

  static void assertContainsAny(String actual, String... expected) {
    for (String e : expected) {
      if (actual != null && actual.contains(e)) {
        return;
      }
    }
    fail("expected to contain one of " + String.join(" | ", expected) + " but was:\n" + actual);
  }

  static void assertNotContains(String actual, String unexpected) {
    if (actual != null && actual.contains(unexpected)) {
      fail("expected not to contain <" + unexpected + "> but was:\n" + actual);
    }
  }

  /** Exactly one line (ending in a newline). */
  static void assertOneLine(String actual) {
    if (actual.isEmpty() || !actual.endsWith("\n") || actual.indexOf('\n') != actual.length() - 1) {
      fail("expected exactly one line but was:\n" + actual);
    }
  }
}
