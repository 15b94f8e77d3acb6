package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Record invariants of the messages themselves. */
class ControlMessageTest {

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE, 0x1_0000_0000L, Long.MAX_VALUE})
  void timeoutOutOfTheUnsigned32BitRangeIsRejectedAtConstruction(long timeout) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ControlMessage.Exec("e", "s", "w", timeout));
    assertTrue(e.getMessage().contains(Long.toString(timeout)), e.getMessage());
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 0xFFFF_FFFFL})
  void timeoutBoundsAreAccepted(long timeout) {
    assertEquals(timeout, new ControlMessage.Exec("e", "s", "w", timeout).timeoutMs());
  }

  @Test
  void nullFieldsAreRejected() {
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec(null, "s", "w", 0));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec("e", null, "w", 0));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec("e", "s", null, 0));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exit(null, 0, ""));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exit("e", 0, null));
  }

  @Test
  void execToStringNeverShowsTheScript() {
    String secret = "curl -H 'Authorization: hunter2' example";
    String s = new ControlMessage.Exec("id-1", secret, "C:\\w", 5).toString();
    assertFalse(s.contains("hunter2"), s);
    assertTrue(s.contains("id-1") && s.contains(secret.length() + " chars"), s);
  }

  @Test
  void typeTagsAndConstants() {
    assertEquals("Ready", ControlMessage.READY.type());
    assertEquals("StreamsReady", ControlMessage.STREAMS_READY.type());
    assertEquals("Ping", ControlMessage.PING.type());
    assertEquals("Pong", ControlMessage.PONG.type());
    assertEquals("Exec", new ControlMessage.Exec("", "", "", 0).type());
    assertEquals("Exit", new ControlMessage.Exit("", 0, "").type());
    assertEquals(new ControlMessage.Ping(), ControlMessage.PING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "A=B", "=C:", "A\0B", "A\ud800", "\udc00B"})
  void invalidEnvironmentNamesAreRejectedAtConstruction(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ControlMessage.Exec("e", "s", "w", 0, Map.of(name, "v")));
    assertTrue(e.getMessage().contains("environment variable #1"), e.getMessage());
  }

  @Test
  void aNulInAValueIsRejectedWithoutShowingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ControlMessage.Exec("e", "s", "w", 0, Map.of("TOKEN", "hunter2\0")));
    assertTrue(e.getMessage().contains("TOKEN") && e.getMessage().contains("NUL"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void nullEnvironmentEntriesAreRejected() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("A", null);
    assertThrows(IllegalArgumentException.class, () -> new ControlMessage.Exec("e", "s", "w", 0, nullValue));
    assertThrows(NullPointerException.class, () -> new ControlMessage.Exec("e", "s", "w", 0, null));
  }

  @Test
  void theEnvironmentIsAnOrderedImmutableCopy() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : new String[] {"Z", "A", "M", "B"}) {
      env.put(k, k.toLowerCase());
    }
    ControlMessage.Exec exec = new ControlMessage.Exec("e", "s", "w", 0, env);
    env.put("LATE", "x");
    assertEquals(List.of("Z", "A", "M", "B"), new ArrayList<>(exec.env().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> exec.env().put("X", "y"));
    assertEquals(Map.of(), new ControlMessage.Exec("e", "s", "w", 0).env());
  }

  @Test
  void execToStringNeverShowsEnvironmentValues() {
    String s = new ControlMessage.Exec("id-1", "s", "w", 5, Map.of("API_KEY", "hunter2")).toString();
    assertFalse(s.contains("hunter2") || s.contains("API_KEY"), s);
    assertTrue(s.contains("1 variables"), s);
  }

  @Test
  void readyCapabilitiesAreAnImmutableCopyAndReadyIsTheEmptyOne() {
    List<String> caps = new ArrayList<>(Arrays.asList("cancel", "env"));
    ControlMessage.Ready r = new ControlMessage.Ready(caps);
    caps.add("tunnel");
    assertEquals(List.of("cancel", "env"), r.capabilities());
    assertTrue(r.supports(Capabilities.CANCEL) && r.supports(Capabilities.ENV) && !r.supports("tunnel"));
    assertEquals(List.of(), ControlMessage.READY.capabilities());
    assertEquals(new ControlMessage.Ready(), ControlMessage.READY);
    assertThrows(NullPointerException.class, () -> new ControlMessage.Ready(Arrays.asList("env", null)));
    assertEquals(List.of(Capabilities.CANCEL, Capabilities.ENV), Capabilities.ALL);
  }

  @Test
  void cancelCarriesTheExecIdAndItsExitMessage() {
    assertEquals("Cancel", new ControlMessage.Cancel("x").type());
    assertEquals("x", new ControlMessage.Cancel("x").execId());
    assertThrows(NullPointerException.class, () -> new ControlMessage.Cancel(null));
    assertEquals("cancelled by the host", ControlMessage.Cancel.EXIT_MESSAGE);
  }
}
