package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real job on Linux reads the environment the launcher gave it (env -0, parsed exactly). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PosixJobEnvironmentTest {

  private static Map<String, String> runEnv(Map<String, String> overlay) throws Exception {
    JobProcess job = new PosixJobLauncher(Subreaper.none()).start("exec /usr/bin/env -0", null, overlay);
    try {
      job.stdin().close();
      byte[] out = job.stdout().readAllBytes();
      assertTrue(job.waitFor(30_000));
      assertEquals(0, job.exitCode());
      Map<String, String> env = new HashMap<>();
      for (String entry : new String(out, StandardCharsets.UTF_8).split("\0")) {
        int eq = entry.indexOf('=');
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
      return env;
    } finally {
      job.killTree(Duration.ofSeconds(5));
    }
  }

  @Test
  void theJobSeesTheBaseEnvironmentOverlaidByTheRequestsVariablesExactly() throws Exception {
    assumeTrue(Platform.isLinux());
    assumeTrue(PosixJobLauncher.envCharset().equals(StandardCharsets.UTF_8), "the guest runs with LANG=C.UTF-8");
    Map<String, String> overlay = new LinkedHashMap<>();
    overlay.put("SK_SPACES", "  leading and trailing  ");
    overlay.put("SK_EQUALS", "a=b==c=");
    overlay.put("SK_NEWLINES", "line1\nline2\r\n\tindented");
    overlay.put("SK_UTF8", "Zo\u00eb \u2192 \u4e16\u754c \ud83d\ude00");
    overlay.put("SK_EMPTY", "");
    overlay.put("PATH", "/opt/sk-first/bin:/usr/bin:/bin");
    overlay.put("LANG", "de_DE.UTF-8");
    Map<String, String> env = runEnv(overlay);
    for (Map.Entry<String, String> e : overlay.entrySet()) {
      assertEquals(e.getValue(), env.get(e.getKey()), e.getKey());
    }
    // What the request does not name comes from the agent's own environment.
    for (String base : List.of("HOME", "USER")) {
      if (System.getenv(base) != null) {
        assertEquals(System.getenv(base), env.get(base), base);
      }
    }
    assertFalse(env.containsKey("SK_NOT_SET"));
  }

  @Test
  void withoutVariablesTheJobGetsTheAgentsEnvironmentUnchanged() throws Exception {
    assumeTrue(Platform.isLinux());
    Map<String, String> env = runEnv(Map.of());
    assertEquals(System.getenv("PATH"), env.get("PATH"));
    assertFalse(env.containsKey("SK_SPACES"));
  }

  @Test
  void aValueTheCharsetCannotHoldIsRefusedNamingTheVariableNotTheValue() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OK", "plain");
    env.put("TOKEN", "s\u00e9cret");
    String why = PosixJobLauncher.unencodable(env, StandardCharsets.US_ASCII);
    assertTrue(why.contains("TOKEN") && why.contains("US-ASCII") && why.contains("LANG=C.UTF-8"), why);
    assertFalse(why.contains("cret"), why);
    assertTrue(PosixJobLauncher.unencodable(Map.of("N\u00e4me", "v"), StandardCharsets.US_ASCII)
        .contains("not ASCII"));
    assertNull(PosixJobLauncher.unencodable(env, StandardCharsets.UTF_8));
    assertNull(PosixJobLauncher.unencodable(Map.of(), StandardCharsets.US_ASCII));
  }

  @Test
  void bothPlatformLaunchersApplyTheEnvironment() {
    assertTrue(new PosixJobLauncher(Subreaper.none()).appliesEnvironment());
    assertTrue(new WindowsJobLauncher().appliesEnvironment());
  }
}
