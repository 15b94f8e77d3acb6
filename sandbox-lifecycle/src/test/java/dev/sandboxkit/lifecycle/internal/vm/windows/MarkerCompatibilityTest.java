package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sandboxkit and mxc read each other's one-shot markers (FILETIME creation times). */
class MarkerCompatibilityTest {
  static final String MXC = "{\"launcher_pid\":1234,\"launcher_creation_time\":133485408001234567,"
      + "\"vm_processes\":[{\"pid\":5678,\"creation_time\":133485408123456789},"
      + "{\"pid\":4294967295,\"creation_time\":133485408123456790}]}";

  @Test
  void readsAMarkerWrittenByMxc() throws Exception {
    Marker m = Marker.parse(MXC.getBytes(StandardCharsets.UTF_8));
    assertEquals(1234, m.launcherPid());
    assertEquals(Long.valueOf(133485408001234567L), m.launcherCreationTime());
    assertEquals(List.of(new VmProcId(5678, 133485408123456789L), new VmProcId(4294967295L, 133485408123456790L)),
        m.vmProcesses());
  }

  @Test
  void writesByteForByteWhatMxcWrites() throws Exception {
    Marker ours = new Marker(1234, 133485408001234567L, List.of(
        new VmProcId(5678, 133485408123456789L), new VmProcId(4294967295L, 133485408123456790L)));
    assertEquals(MXC, new String(ours.toJson(), StandardCharsets.UTF_8));
    assertEquals(ours, Marker.parse(ours.toJson()));
  }

  @Test
  void mxcMarkerWithNullCreationTimeAndNoProof() throws Exception {
    Marker m = Marker.parse("{\"launcher_pid\":42,\"launcher_creation_time\":null}".getBytes(StandardCharsets.UTF_8));
    assertEquals(42, m.launcherPid());
    org.junit.jupiter.api.Assertions.assertNull(m.launcherCreationTime());
    assertEquals(List.of(), m.vmProcesses());
    assertEquals("{\"launcher_pid\":42,\"launcher_creation_time\":null,\"vm_processes\":[]}",
        new String(m.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void aMarkerFileFromMxcOnDiskIsReadByTheStore(@TempDir Path root) throws Exception {
    MarkerStore store = new MarkerStore(root);
    Path runDir = store.createRunDir();
    Files.write(MarkerStore.markerFile(runDir), MXC.getBytes(StandardCharsets.UTF_8));
    assertEquals(Marker.parse(MXC.getBytes(StandardCharsets.UTF_8)), store.read(runDir).orElseThrow());
  }
}
