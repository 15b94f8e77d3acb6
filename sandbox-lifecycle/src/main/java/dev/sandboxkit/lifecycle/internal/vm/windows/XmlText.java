package dev.sandboxkit.lifecycle.internal.vm.windows;

/** Escapes text for an XML element body. */
final class XmlText {
  private XmlText() {}

  /**
   * Escapes {@code & < > " '}; rejects characters XML 1.0 cannot carry (controls other than tab,
   * LF, CR; unpaired surrogates; U+FFFE/U+FFFF).
   *
   * @throws IllegalArgumentException naming the offending code point
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean unpaired = Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1;
      if (unpaired || !allowed(cp)) {
        throw new IllegalArgumentException(String.format(
            "character U+%04X at index %d cannot be written to the Windows Sandbox configuration", cp, i));
      }
      switch (cp) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&apos;");
          break;
        default:
          b.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  private static boolean allowed(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }
}
