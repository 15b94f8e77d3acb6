package dev.sandboxkit.cli.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SelectorLookupTest {
  private String before;

  @BeforeEach
  void save() {
    before = System.getProperty(SelectorLookup.PROPERTY);
    System.clearProperty(SelectorLookup.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(SelectorLookup.PROPERTY);
    } else {
      System.setProperty(SelectorLookup.PROPERTY, before);
    }
  }

  /** The JDK this runs on (17 and 25 in CI) still has the class: a rename would fail here, not in users' hands. */
  @Test
  @EnabledOnOs(OS.LINUX)
  void namesTheJdksLinuxProvider() {
    SelectorLookup.skipServiceSearch();
    assertEquals(SelectorLookup.EPOLL, System.getProperty(SelectorLookup.PROPERTY));
  }

  @Test
  void aProviderNamedAlreadyIsKept() {
    System.setProperty(SelectorLookup.PROPERTY, "com.example.Provider");
    SelectorLookup.skipServiceSearch();
    assertEquals("com.example.Provider", System.getProperty(SelectorLookup.PROPERTY));
  }

  @Test
  void aMissingClassLeavesTheJdksSearch() {
    SelectorLookup.skipServiceSearch("sun.nio.ch.NoSuchSelectorProvider");
    assertNull(System.getProperty(SelectorLookup.PROPERTY));
  }
}
