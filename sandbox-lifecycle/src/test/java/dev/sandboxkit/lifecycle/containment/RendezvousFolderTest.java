package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sandboxkit.Sandbox;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.1 and 14.4, as attacks by the workload in real sandboxes, root host and not: the
 * rendezvous folder is the sandbox's own small tmpfs, so the workload cannot fill the host's disk
 * through it (root host: it cannot even enter it; non-root host, where it shares the agent's uid: it
 * fills 64 KiB of the sandbox's own memory), the nonce is on no host disk once the guest has read it,
 * and a link planted in place of the agent's socket is never followed by the host.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class RendezvousFolderTest {
  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  Sandbox start() throws Exception {
    return Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).policy(SandboxPolicy.DEFAULT).start();
  }

  static ExecutionResult exec(Sandbox s, String script) throws Exception {
    return s.exec(ExecutionRequest.builder(script).timeout(Duration.ofSeconds(60)).build());
  }

  List<Path> hostFilesNamed(String name) throws IOException {
    try (Stream<Path> files = Files.walk(state)) {
      return files.filter(p -> p.getFileName().toString().equals(name)).toList();
    }
  }

  @Test
  void theWorkloadCannotFillTheHostsDiskThroughTheRendezvousFolder() throws Exception {
    try (Sandbox s = start()) {
      assertEquals(List.of(), hostFilesNamed("nonce.bin"), "the nonce stays on the host's disk after the start");
      ExecutionResult r = exec(s, "head -c 8388608 /dev/zero > /opt/sandboxkit/rendezvous/fill 2>/dev/null;"
          + " echo rc=$?; wc -c < /opt/sandboxkit/rendezvous/fill 2>/dev/null || echo 0");
      String out = r.stdoutText();
      assertEquals(0, r.exitCode(), r + " " + out + r.stderrText());
      assertFalse(out.startsWith("rc=0\n"), "8 MiB written into the rendezvous folder: " + out);
      long written = Long.parseLong(out.lines().skip(1).findFirst().orElseThrow().strip());
      assertTrue(written <= 64 * 1024, "the rendezvous folder took " + written + " bytes");
      assertEquals(List.of(), hostFilesNamed("fill"), "the workload wrote into a host folder");
      // the agent's socket is untouched: the next execution connects as before
      ExecutionResult again = exec(s, "echo alive");
      assertEquals("alive\n", again.stdoutText(), again + " " + again.extendedError());
    }
  }

  @Test
  void aLinkPlantedInPlaceOfTheAgentSocketIsNotFollowed() throws Exception {
    assumeFalse(SandboxesApartTest.hostIsRoot(),
        "on a root host the workload cannot enter the rendezvous folder (SandboxesApartTest)");
    Path hostService = temp.resolve("host-service.sock");
    try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Sandbox s = start()) {
      service.bind(UnixDomainSocketAddress.of(hostService));
      service.configureBlocking(false);
      ExecutionResult r = exec(s, "cd /opt/sandboxkit/rendezvous && for f in *; do"
          + " if [ -S \"$f\" ]; then mv \"$f\" \"$f.moved\" && ln -s " + hostService + " \"$f\" && echo planted; fi;"
          + " done");
      assertEquals("planted\n", r.stdoutText(), r + " " + r.stderrText());
      SandboxException e = assertThrows(SandboxException.class, () -> exec(s, "echo next"));
      assertTrue(String.valueOf(e.getMessage() + e.detail()).contains("not a socket but a symbolic link"),
          e.getMessage() + " / " + e.detail());
      assertNull(service.accept(), "the host dialled the planted link (and sent it the nonce)");
    }
  }
}
