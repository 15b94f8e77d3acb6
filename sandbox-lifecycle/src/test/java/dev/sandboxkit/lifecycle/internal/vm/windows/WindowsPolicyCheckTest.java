package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowsPolicyCheckTest {
  @Test
  void theDefaultPolicyIsEnforceable() {
    assertEquals(Optional.empty(), WindowsPolicyCheck.problem(SandboxPolicy.DEFAULT));
  }

  /** The network rules are the planner's (one wording for every driver): not repeated here. */
  @Test
  void networkIsLeftToThePlanner() {
    assertEquals(Optional.empty(), WindowsPolicyCheck.problem(SandboxPolicy.builder().network(NetworkAccess.ALLOW)
        .allowedHosts(List.of("example.com")).proxy("http://p:8080").build()));
  }

  @Test
  void mappingAReservedGuestFolderIsRejected() {
    String p = WindowsPolicyCheck.problem(SandboxPolicy.builder().readOnly(Path.of("C:\\Sandbox-Guest")).build())
        .orElseThrow();
    assertTrue(p.contains("C:\\Sandbox-Guest"), p);
    assertEquals(Optional.empty(),
        WindowsPolicyCheck.problem(SandboxPolicy.builder().readWrite(Path.of("C:\\work")).build()));
  }
}
