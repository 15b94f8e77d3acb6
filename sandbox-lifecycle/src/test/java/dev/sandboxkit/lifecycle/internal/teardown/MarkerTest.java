package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MarkerTest {

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesMxcCompactJsonInFieldOrder() {
    Marker m = new Marker(1234, 133_485_408_000_000_000L,
        List.of(new VmProcId(4321, 133_485_408_100_000_000L), new VmProcId(99, 1)));
    assertEquals("{\"launcher_pid\":1234,\"launcher_creation_time\":133485408000000000,"
        + "\"vm_processes\":[{\"pid\":4321,\"creation_time\":133485408100000000},{\"pid\":99,\"creation_time\":1}]}",
        new String(m.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void unknownCreationTimeIsWrittenAsNull() {
    assertEquals("{\"launcher_pid\":7,\"launcher_creation_time\":null,\"vm_processes\":[]}",
        new String(new Marker(7, null, List.of()).toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void readsAMarkerWrittenByMxc() throws Exception {
    String mxc = "{\"launcher_pid\":5120,\"launcher_creation_time\":133700000000000000,"
        + "\"vm_processes\":[{\"pid\":9000,\"creation_time\":133700000050000000}]}";
    Marker m = Marker.parse(utf8(mxc));
    assertEquals(5120, m.launcherPid());
    assertEquals(133_700_000_000_000_000L, m.launcherCreationTime());
    assertEquals(List.of(new VmProcId(9000, 133_700_000_050_000_000L)), m.vmProcesses());
    assertEquals(mxc, new String(m.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void roundTripsArbitraryMarker() throws Exception {
    Marker m = new Marker(4_294_967_295L, 5L, List.of(new VmProcId(1, 2), new VmProcId(3, 4)));
    assertEquals(m, Marker.parse(m.toJson()));
  }

  @Test
  void missingCreationTimeMeansUnknown() throws Exception {
    Marker m = Marker.parse(utf8("{\"launcher_pid\":1,\"vm_processes\":[]}"));
    assertNull(m.launcherCreationTime());
    assertEquals(Optional.empty(), m.launcher());
  }

  @Test
  void missingVmProcessesMeansEmpty() throws Exception {
    assertEquals(List.of(), Marker.parse(utf8("{\"launcher_pid\":1,\"launcher_creation_time\":2}")).vmProcesses());
  }

  @Test
  void unknownKeysAreIgnoredInAnyOrderAndWhitespace() throws Exception {
    Marker m = Marker.parse(utf8("{ \"future\": {\"x\": [1]}, \"vm_processes\": [ {\"creation_time\": 8, \"pid\": 9,"
        + " \"extra\": true} ], \"launcher_pid\": 3 }"));
    assertEquals(new Marker(3, null, List.of(new VmProcId(9, 8))), m);
  }

  @Test
  void launcherIdentityWhenCreationTimeKnown() {
    assertEquals(Optional.of(new VmProcId(3, 4)), new Marker(3, 4L, List.of()).launcher());
  }

  @Test
  void legacyTextMarkerIsUnparseable() {
    MarkerFormatException e = assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8("pid=1234\n")));
    assertTrue(e.getMessage().contains("pid=1234"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "[]",
      "null",
      "{}",
      "{\"launcher_pid\":null}",
      "{\"launcher_pid\":-1}",
      "{\"launcher_pid\":4294967296}",
      "{\"launcher_pid\":\"12\"}",
      "{\"launcher_pid\":1.5}",
      "{\"launcher_pid\":1,\"launcher_creation_time\":-3}",
      "{\"launcher_pid\":1,\"launcher_creation_time\":18446744073709551615}",
      "{\"launcher_pid\":1,\"vm_processes\":{}}",
      "{\"launcher_pid\":1,\"vm_processes\":[1]}",
      "{\"launcher_pid\":1,\"vm_processes\":[{\"pid\":1}]}",
      "{\"launcher_pid\":1,\"vm_processes\":[{\"creation_time\":1}]}",
      "{\"launcher_pid\":1"
  })
  void malformedMarkersAreRejected(String json) {
    assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8(json)));
  }

  @Test
  void forCurrentProcessRecordsThisJvm() {
    Marker m = Marker.forCurrentProcess(List.of());
    assertEquals(ProcessHandle.current().pid(), m.launcherPid());
    assertEquals(VmProcId.current().orElseThrow().creationTime(), m.launcherCreationTime());
  }

  @Test
  void withProofKeepsTheLauncher() {
    Marker m = new Marker(3, 4L, List.of()).withProof(List.of(new VmProcId(5, 6)));
    assertEquals(new Marker(3, 4L, List.of(new VmProcId(5, 6))), m);
  }
}
