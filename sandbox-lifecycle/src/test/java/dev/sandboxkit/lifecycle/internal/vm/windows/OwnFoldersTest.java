package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 17 finding 11: a user mapping must not contain the run's own host folders. */
class OwnFoldersTest {
  static final Map<String, String> OWN = OwnFolders.of("C:\\Program Files\\Java\\jdk-21",
      "C:\\Users\\me\\sandboxkit\\lib", "C:\\Users\\me\\AppData\\Local\\Temp\\sandboxkit\\oneshot\\r1\\rendezvous",
      "C:\\Users\\me\\AppData\\Local\\Temp\\sandboxkit\\oneshot\\r1");

  @Test
  void aMappingOfAParentOfOurFoldersIsRefusedNamingBoth() {
    String p = OwnFolders.conflict(List.of("C:\\Users\\me"), OWN).orElseThrow();
    assertTrue(p.contains("C:\\Users\\me contains the guest agent folder (C:\\Users\\me\\sandboxkit\\lib)"), p);
  }

  @Test
  void caseSeparatorsAndTrailingSeparatorsDoNotHideIt() {
    assertTrue(OwnFolders.conflict(List.of("c:/program files/"), OWN).orElseThrow().contains("Java runtime"));
    assertTrue(OwnFolders.conflict(List.of("C:\\"), OWN).isPresent(), "a whole drive");
    assertTrue(OwnFolders.conflict(List.of("C:\\USERS\\ME\\APPDATA\\LOCAL\\TEMP\\SANDBOXKIT\\ONESHOT\\R1\\rendezvous"),
        OWN).orElseThrow().contains("rendezvous folder"), "the folder itself");
  }

  @Test
  void siblingsAndChildrenOfOurFoldersAreFine() {
    assertEquals(Optional.empty(), OwnFolders.conflict(List.of("C:\\Users\\me\\project", "C:\\Users\\mel",
        "C:\\Program Files\\Java\\jdk-21-docs", "D:\\data"), OWN));
  }
}
