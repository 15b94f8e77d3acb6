package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the guest archive lives and how it is turned off: the decision table. */
class CdsConfigTest {
  static final Map<String, String> HOME = Map.of("HOME", "/home/u");

  static CdsConfig resolve(Map<String, String> props, Map<String, String> env) {
    return CdsConfig.resolve(props::get, env);
  }

  @Test
  void defaultIsTheLaunchersCacheFolderUnderHome() {
    assertEquals(CdsConfig.at(Path.of("/home/u/.cache/sandboxkit/cds")), resolve(Map.of(), HOME));
  }

  @Test
  void xdgCacheHomeWinsOverHomeWhenAbsolute() {
    Map<String, String> env = new HashMap<>(HOME);
    env.put("XDG_CACHE_HOME", "/xdg");
    assertEquals(CdsConfig.at(Path.of("/xdg/sandboxkit/cds")), resolve(Map.of(), env));
    env.put("XDG_CACHE_HOME", "relative/cache");
    assertEquals(CdsConfig.at(Path.of("/home/u/.cache/sandboxkit/cds")), resolve(Map.of(), env),
        "a relative XDG_CACHE_HOME is ignored (XDG spec)");
  }

  @Test
  void propertyDirWinsOverTheEnvironment() {
    Map<String, String> env = new HashMap<>(HOME);
    env.put("XDG_CACHE_HOME", "/xdg");
    assertEquals(CdsConfig.at(Path.of("/custom/cds")), resolve(Map.of("sandboxkit.cds.dir", "/custom/cds"), env));
  }

  @Test
  void envNoCdsTurnsItOffWhateverItsValue() {
    for (String v : new String[] {"1", "yes", "0"}) {
      Map<String, String> env = new HashMap<>(HOME);
      env.put("SANDBOXKIT_NO_CDS", v);
      CdsConfig c = resolve(Map.of("sandboxkit.cds.dir", "/custom"), env);
      assertFalse(c.enabled(), v);
      assertTrue(c.why().contains("SANDBOXKIT_NO_CDS"), c.why());
    }
    Map<String, String> empty = new HashMap<>(HOME);
    empty.put("SANDBOXKIT_NO_CDS", "");
    assertTrue(resolve(Map.of(), empty).enabled(), "an empty value does not count, like the launcher's -z test");
  }

  @Test
  void propertyFalseTurnsItOff() {
    CdsConfig c = resolve(Map.of("sandboxkit.cds", "FALSE"), HOME);
    assertFalse(c.enabled());
    assertEquals(Optional.empty(), c.dir());
    assertTrue(c.why().contains("-Dsandboxkit.cds=false"), c.why());
    assertTrue(resolve(Map.of("sandboxkit.cds", "true"), HOME).enabled());
  }

  @Test
  void noHomeAndNoPropertyMeansOff() {
    CdsConfig c = resolve(Map.of(), Map.of());
    assertFalse(c.enabled());
    assertTrue(c.why().contains("HOME"), c.why());
  }

  @Test
  void builderOptionsWinOverPropertiesAndEnvironment() {
    Map<String, String> off = new HashMap<>(HOME);
    off.put("SANDBOXKIT_NO_CDS", "1");
    CdsConfig envOff = resolve(Map.of(), off);
    CdsConfig dflt = resolve(Map.of(), HOME);
    java.util.Optional<Path> none = java.util.Optional.empty();
    java.util.Optional<Path> folder = java.util.Optional.of(Path.of("/given/cache"));
    // Nothing given: unchanged.
    assertEquals(dflt, dflt.override(none, java.util.Optional.empty(), k -> null, HOME));
    // classDataArchives(false): off whatever the folder.
    assertFalse(dflt.override(folder, java.util.Optional.of(false), k -> null, HOME).enabled());
    // cacheDir(..): that folder, also when the environment turned archives off.
    assertEquals(CdsConfig.at(Path.of("/given/cache")), envOff.override(folder, java.util.Optional.empty(), k -> null, off));
    // classDataArchives(true) without a folder: the default folder despite SANDBOXKIT_NO_CDS.
    assertEquals(CdsConfig.at(Path.of("/home/u/.cache/sandboxkit/cds")),
        envOff.override(none, java.util.Optional.of(true), k -> null, off));
    assertEquals(CdsConfig.at(Path.of("/p/cds")), resolve(Map.of("sandboxkit.cds", "false"), HOME)
        .override(none, java.util.Optional.of(true), Map.of("sandboxkit.cds", "false", "sandboxkit.cds.dir", "/p/cds")::get, HOME));
  }
}
