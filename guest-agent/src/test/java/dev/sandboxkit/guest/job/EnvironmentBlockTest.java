package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentBlockTest {
  private static String decode(byte[] block) {
    return new String(block, StandardCharsets.UTF_16LE);
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * Windows sorts by the upper-cased name ("_" 0x5F after "A" 0x41..."Z" 0x5A), not by the lower-cased
   * one (where "_" would come before "a" 0x61); drive entries stay first in their order.
   */
  @Test
  void sortedByUpperCasedNameWithDriveEntriesFirstAndDoubleNulTerminated() {
    byte[] block = EnvironmentBlock.encode(ordered(
        "_X", "3", "b", "2", "=D:", "D:\\data", "Path", "C:\\Windows", "a", "1", "=C:", "C:\\work"));
    assertEquals("=D:=D:\\data\0=C:=C:\\work\0a=1\0b=2\0Path=C:\\Windows\0_X=3\0\0", decode(block));
  }

  @Test
  void utf16LittleEndianWithNonAsciiValues() {
    byte[] block = EnvironmentBlock.encode(ordered("K", "\u00fc"));
    assertArrayEquals(new byte[] {'K', 0, '=', 0, (byte) 0xFC, 0, 0, 0, 0, 0}, block);
  }

  @Test
  void anEmptyBlockIsTwoWideNuls() {
    assertArrayEquals(new byte[4], EnvironmentBlock.encode(Map.of()));
  }

  @Test
  void emptyValuesAreKept() {
    assertEquals("EMPTY=\0\0", decode(EnvironmentBlock.encode(ordered("EMPTY", ""))));
  }

  @Test
  void invalidEntriesAreRefusedWithTheName() {
    assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.encode(ordered("", "v")));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.encode(ordered("A=B", "v")))
        .getMessage().contains("'A=B'"));
    assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.encode(ordered("A\0", "v")));
    String m = assertThrows(IllegalArgumentException.class,
        () -> EnvironmentBlock.encode(ordered("SECRET", "x\0y"))).getMessage();
    assertTrue(m.contains("SECRET") && !m.contains("x"), m);
  }

  /** Two spellings of one Windows name would make the block ambiguous. */
  @Test
  void namesEqualIgnoringCaseAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> EnvironmentBlock.encode(ordered("Path", "a", "PATH", "b")));
  }

  @Test
  void overlayReplacesCaseInsensitivelyWithTheOverlaysSpelling() {
    Map<String, String> merged = EnvironmentBlock.overlay(
        ordered("PATH", "C:\\Windows", "TEMP", "C:\\t"), ordered("Path", "C:\\tools", "NEW", "1"));
    assertEquals(ordered("TEMP", "C:\\t", "Path", "C:\\tools", "NEW", "1"), merged);
    assertEquals("NEW=1\0Path=C:\\tools\0TEMP=C:\\t\0\0", decode(EnvironmentBlock.encode(merged)));
  }
}
