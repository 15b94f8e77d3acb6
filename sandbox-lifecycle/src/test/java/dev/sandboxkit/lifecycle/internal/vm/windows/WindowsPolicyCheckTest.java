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

  @Test
  void networkAllowIsRejected() {
    String p = WindowsPolicyCheck.problem(SandboxPolicy.builder().network(NetworkAccess.ALLOW).build()).orElseThrow();
    assertTrue(p.contains("outbound network access"), p);
  }

  @Test
  void hostListsAndProxiesAreRejected() {
    assertTrue(WindowsPolicyCheck.problem(SandboxPolicy.builder().allowedHosts(List.of("example.com")).build())
        .orElseThrow().contains("allowedHosts/blockedHosts"));
    assertTrue(WindowsPolicyCheck.problem(SandboxPolicy.builder().blockedHosts(List.of("example.com")).build())
        .orElseThrow().contains("allowedHosts/blockedHosts"));
    assertTrue(WindowsPolicyCheck.problem(SandboxPolicy.builder().proxy("http://p:8080").build())
        .orElseThrow().contains("proxy"));
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
