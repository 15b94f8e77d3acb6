package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XmlTextTest {
  @Test
  void escapesTheFiveSpecialCharacters() {
    assertEquals("a&amp;b&lt;c&gt;d&quot;e&apos;f", XmlText.escape("a&b<c>d\"e'f"));
    assertEquals("&amp;amp;", XmlText.escape("&amp;"));
  }

  @Test
  void keepsNonAsciiAndSupplementaryCharacters() {
    assertEquals("Zoë 日本語 😀", XmlText.escape("Zoë 日本語 😀"));
  }

  @Test
  void rejectsCharactersXmlCannotCarry() {
    for (String bad : new String[] {"a\u0000b", "a\u0001b", "a\u001Fb", "\uD800", "x\uDC00", "\uFFFE"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XmlText.escape(bad));
      assertTrue(e.getMessage().startsWith("character U+"), e.getMessage());
    }
    assertEquals("a\tb", XmlText.escape("a\tb"));
  }
}
