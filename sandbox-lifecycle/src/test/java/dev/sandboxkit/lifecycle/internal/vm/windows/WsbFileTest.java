package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class WsbFileTest {
  static final String RDV = "C:\\Users\\alice\\AppData\\Local\\Temp\\sandboxkit\\oneshot\\"
      + "0f8fad5b-d9cb-469f-a165-70867728950e\\rendezvous";

  static String basic() {
    return WsbFile.render(WsbFile.folders("C:\\Program Files\\sandboxkit\\lib",
        "C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.15.6-hotspot", RDV, List.of()),
        WsbFile.logonCommand(WsbFile.BOOTSTRAP), OptionalLong.empty());
  }

  static String tricky() {
    return WsbFile.render(WsbFile.folders("\\\\?\\UNC\\fileserver\\Tools & Co\\sandboxkit <beta>",
        "\\\\?\\C:\\Java\\jdk \"17\"",
        "C:\\Users\\Zoë O'Brien\\AppData\\Local\\Temp\\sandboxkit\\oneshot\\0f8fad5b-d9cb-469f-a165-70867728950e\\rendezvous",
        List.of(new WsbFile.Folder("D:\\Projekte\\Übung & Test", "D:\\Projekte\\Übung & Test", false),
            new WsbFile.Folder("C:\\data\\'quoted' \"dir\"", "C:\\data\\'quoted' \"dir\"", true),
            new WsbFile.Folder("\\\\?\\C:\\日本語", "\\\\?\\C:\\日本語", true))),
        WsbFile.logonCommand(WsbFile.BOOTSTRAP), OptionalLong.of(4096));
  }

  @Test
  void basicGolden() {
    Golden.assertMatches("basic.wsb", basic());
  }

  @Test
  void spacesAmpersandsQuotesAndNonAsciiGolden() {
    Golden.assertMatches("mapped-folders.wsb", tricky());
  }

  @Test
  void theGeneratedXmlParsesBackToTheExactPaths() throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(tricky().getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    assertEquals("Configuration", root.getTagName());
    NodeList hosts = root.getElementsByTagName("HostFolder");
    assertEquals(6, hosts.getLength());
    assertEquals("\\\\fileserver\\Tools & Co\\sandboxkit <beta>", hosts.item(0).getTextContent());
    assertEquals("C:\\Java\\jdk \"17\"", hosts.item(1).getTextContent());
    assertTrue(hosts.item(2).getTextContent().startsWith("C:\\Users\\Zoë O'Brien\\"));
    assertEquals("D:\\Projekte\\Übung & Test", hosts.item(3).getTextContent());
    assertEquals("C:\\data\\'quoted' \"dir\"", hosts.item(4).getTextContent());
    assertEquals("C:\\日本語", hosts.item(5).getTextContent());
    NodeList sandbox = root.getElementsByTagName("SandboxFolder");
    assertEquals(WsbFile.GUEST_DIR, sandbox.item(0).getTextContent());
    assertEquals(WsbFile.JAVA_DIR, sandbox.item(1).getTextContent());
    assertEquals(WsbFile.RENDEZVOUS_DIR, sandbox.item(2).getTextContent());
    assertEquals("D:\\Projekte\\Übung & Test", sandbox.item(3).getTextContent());
    NodeList ro = root.getElementsByTagName("ReadOnly");
    assertEquals(List.of("true", "true", "false", "false", "true", "true"),
        List.of(ro.item(0).getTextContent(), ro.item(1).getTextContent(), ro.item(2).getTextContent(),
            ro.item(3).getTextContent(), ro.item(4).getTextContent(), ro.item(5).getTextContent()));
    assertEquals("C:\\Windows\\System32\\cmd.exe /S /C \"\"C:\\Sandbox-Rendezvous\\bootstrap.cmd\"\"",
        root.getElementsByTagName("Command").item(0).getTextContent());
    assertEquals("4096", root.getElementsByTagName("MemoryInMB").item(0).getTextContent());
    for (String off : List.of("vGPU", "AudioInput", "VideoInput", "PrinterRedirection", "ClipboardRedirection")) {
      assertEquals("Disable", root.getElementsByTagName(off).item(0).getTextContent(), off);
    }
    assertEquals("Default", root.getElementsByTagName("Networking").item(0).getTextContent(),
        "networking on: the guest firewall locks it down");
  }

  @Test
  void memoryIsOmittedUnlessSetAndMustBePositive() {
    assertFalse(basic().contains("MemoryInMB"));
    assertThrows(IllegalArgumentException.class,
        () -> WsbFile.render(List.of(), "x", OptionalLong.of(0)));
  }

  @Test
  void mountsOverlappingTheReservedFoldersAreRejected() {
    for (String bad : List.of("C:\\Sandbox-Guest", "c:\\sandbox-java\\lib", "C:\\", "C:\\SANDBOX-RENDEZVOUS\\")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WsbFile.folders("C:\\g", "C:\\j", "C:\\r", List.of(new WsbFile.Folder(bad, bad, true))), bad);
      assertTrue(e.getMessage().contains("reserves"), e.getMessage());
    }
    assertEquals(4, WsbFile.folders("C:\\g", "C:\\j", "C:\\r",
        List.of(new WsbFile.Folder("C:\\Sandbox-GuestX", "C:\\Sandbox-GuestX", true))).size());
  }

  @Test
  void uncMountsAreRejectedBecauseTheyCannotExistInside() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WsbFile.folders("C:\\g",
        "C:\\j", "C:\\r", List.of(new WsbFile.Folder("\\\\?\\UNC\\srv\\share", "\\\\?\\UNC\\srv\\share", true))));
    assertTrue(e.getMessage().contains("UNC"), e.getMessage());
  }

  @Test
  void extendedLengthPrefixesAreStripped() {
    assertEquals("C:\\x", WsbFile.hostPath("\\\\?\\C:\\x"));
    assertEquals("\\\\srv\\share\\x", WsbFile.hostPath("\\\\?\\UNC\\srv\\share\\x"));
    assertEquals("C:\\x", WsbFile.hostPath("C:\\x"));
  }

  @Test
  void overlapIsComponentWiseAndCaseInsensitive() {
    assertTrue(WsbFile.overlaps("C:\\a", "c:\\A"));
    assertTrue(WsbFile.overlaps("C:\\a\\b", "C:\\a"));
    assertTrue(WsbFile.overlaps("C:\\a", "C:\\a\\b"));
    assertTrue(WsbFile.overlaps("C:\\a\\", "C:\\a"));
    assertTrue(WsbFile.overlaps("C:/a/b", "C:\\a"));
    assertFalse(WsbFile.overlaps("C:\\foo", "C:\\foobar"));
    assertFalse(WsbFile.overlaps("D:\\a", "C:\\a"));
  }

  @Test
  void logonCommandRejectsWhatCannotBeQuoted() {
    assertThrows(IllegalArgumentException.class, () -> WsbFile.logonCommand("C:\\a\"b.cmd"));
    assertThrows(IllegalArgumentException.class, () -> WsbFile.logonCommand("C:\\%TEMP%\\b.cmd"));
    assertEquals("C:\\Windows\\System32\\cmd.exe /S /C \"\"C:\\my dir & co\\b.cmd\"\"",
        WsbFile.logonCommand("C:\\my dir & co\\b.cmd"));
  }
}
