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
import org.junit.jupiter.params.provider.CsvSource;
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

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"launcher_pid\":1} x",
      "{\"launcher_pid\":1}{}",
      "{\"launcher_pid\":1}]",
      "{\"launcher_pid\":1},",
      "{\"launcher_pid\":1} 7"
  })
  void trailingDataIsRejected(String json) {
    MarkerFormatException e = assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8(json)));
    assertTrue(e.getMessage().contains("data after its JSON object"), e.getMessage());
  }

  @Test
  void trailingWhitespaceIsFine() throws Exception {
    assertEquals(new Marker(1, null, List.of()), Marker.parse(utf8(" {\"launcher_pid\":1}\r\n\t ")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"launcher_pid\":1,\"launcher_pid\":2}",
      "{\"launcher_pid\":1,\"launcher_creation_time\":null,\"launcher_creation_time\":5}",
      "{\"launcher_pid\":1,\"vm_processes\":[],\"vm_processes\":[]}",
      "{\"launcher_pid\":1,\"vm_processes\":[{\"pid\":1,\"pid\":2,\"creation_time\":3}]}",
      "{\"launcher_pid\":1,\"vm_processes\":[{\"pid\":1,\"creation_time\":3,\"creation_time\":4}]}"
  })
  void aKnownFieldGivenTwiceIsRejected(String json) {
    MarkerFormatException e = assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8(json)));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  @Test
  void unknownFieldsMayRepeat() throws Exception {
    assertEquals(new Marker(1, null, List.of()), Marker.parse(utf8("{\"x\":1,\"x\":[2],\"launcher_pid\":1}")));
  }

  @Test
  void missingLauncherPidIsNamed() {
    MarkerFormatException e = assertThrows(MarkerFormatException.class,
        () -> Marker.parse(utf8("{\"launcher_creation_time\":3}")));
    assertTrue(e.getMessage().contains("launcher_pid is missing"), e.getMessage());
  }

  @Test
  void missingProcessFieldIsNamedWithItsIndex() {
    MarkerFormatException e = assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8(
        "{\"launcher_pid\":1,\"vm_processes\":[{\"pid\":1,\"creation_time\":2},{\"pid\":3}]}")));
    assertTrue(e.getMessage().contains("vm_processes[1].creation_time is missing"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"launcher_pid\":\"12\"}|launcher_pid = \"12\" is not a non-negative integer",
      "{\"launcher_pid\":true}|launcher_pid = true is not a non-negative integer",
      "{\"launcher_pid\":[1]}|launcher_pid = an array is not a non-negative integer",
      "{\"launcher_pid\":{}}|launcher_pid = an object is not a non-negative integer",
      "{\"launcher_pid\":1e3}|launcher_pid = 1e3 is not a non-negative integer",
      "{\"launcher_pid\":null}|launcher_pid is null",
      "{\"launcher_pid\":-1}|launcher_pid = -1 is out of range 0..9223372036854775807",
      "{\"launcher_pid\":4294967296}|launcher_pid = 4294967296 is out of range 0..4294967295",
      "{\"launcher_pid\":1,\"launcher_creation_time\":18446744073709551615}|launcher_creation_time = 18446744073709551615 is out of range",
      "{\"launcher_pid\":1,\"launcher_creation_time\":\"x\"}|launcher_creation_time = \"x\" is not",
      "{\"launcher_pid\":1,\"vm_processes\":{}}|vm_processes is an object, not an array",
      "{\"launcher_pid\":1,\"vm_processes\":7}|vm_processes is 7, not an array",
      "{\"launcher_pid\":1,\"vm_processes\":[[]]}|vm_processes[0] is an array, not an object",
      "{\"launcher_pid\":1,\"vm_processes\":[{\"pid\":1,\"creation_time\":-5}]}|vm_processes[].creation_time = -5 is out of range",
      "[]|is not a JSON object",
      "|is not a JSON object (0 bytes",
      "pid=1234|is not JSON (8 bytes, starting"
  })
  void wrongTypesAndRangesSayWhichFieldAndWhy(String json, String expected) {
    MarkerFormatException e = assertThrows(MarkerFormatException.class,
        () -> Marker.parse(utf8(json == null ? "" : json)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void nullVmProcessesMeansEmpty() throws Exception {
    assertEquals(List.of(), Marker.parse(utf8("{\"launcher_pid\":1,\"vm_processes\":null}")).vmProcesses());
  }

  @Test
  void deeplyNestedUnknownValueIsATypedErrorNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThrows(MarkerFormatException.class,
        () -> Marker.parse(utf8("{\"x\":" + deep + ",\"launcher_pid\":1}")));
  }

  @Test
  void truncatedAndBinaryInputAreTypedErrors() {
    assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8("{\"launcher_pid\":1,\"vm_processes\":[{")));
    assertThrows(MarkerFormatException.class, () -> Marker.parse(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}));
    assertThrows(MarkerFormatException.class, () -> Marker.parse(utf8("{\"launcher_pid\":1,\"vm_processes\":[")));
  }

  @Test
  void bigMarkerRoundTrips() throws Exception {
    List<VmProcId> procs = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      procs.add(new VmProcId(VmProcId.MAX_PID - i, Long.MAX_VALUE - i));
    }
    Marker m = new Marker(VmProcId.MAX_PID, Long.MAX_VALUE, procs);
    assertEquals(m, Marker.parse(m.toJson()));
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
