package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import java.util.List;
import java.util.Objects;

/**
 * A kind of sandbox (bubblewrap, Windows Sandbox), from {@link dev.sandboxkit.SandboxDrivers}. Pass it to {@link
 * dev.sandboxkit.Sandbox#builder} or {@link dev.sandboxkit.OneShotRunner#builder}. Only the built-in drivers can be used: how a
 * driver launches, proves and tears down a sandbox is internal to this library. A driver object
 * keeps no per-sandbox state and is safe to share.
 */
public interface SandboxDriver {

  /** The name used by {@code --driver} and {@link dev.sandboxkit.SandboxDrivers#byName(String)}. */
  String name();

  /**
   * Prerequisite checks for {@code sandboxkit doctor}. Never elevates, never throws: a failed probe
   * is a check with {@code ok == false}.
   */
  List<Check> prerequisites();

  /** A doctor check: what was checked, whether it passed, what was found, how to fix it. */
  record Check(String name, boolean ok, String detail, String fix) {
    public Check {
      Objects.requireNonNull(name, "name");
      detail = detail == null ? "" : detail;
      fix = fix == null ? "" : fix;
    }
  }
}
