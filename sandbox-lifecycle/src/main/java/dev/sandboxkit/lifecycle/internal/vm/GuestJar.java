package dev.sandboxkit.lifecycle.internal.vm;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds the guest agent jar on the host: system property {@code sandboxkit.guest.jar}, then env
 * {@code SANDBOXKIT_GUEST_JAR}, then {@code sandboxkit-guest.jar} next to the jar (or classes dir)
 * the lifecycle classes were loaded from, then the agent that {@code guest-agent-bundle} (a
 * dependency of this library) carries as a resource ({@link BundledGuestJar}).
 */
public final class GuestJar {
  public static final String PROPERTY = "sandboxkit.guest.jar";
  public static final String ENV = "SANDBOXKIT_GUEST_JAR";
  public static final String FILE_NAME = "sandboxkit-guest.jar";

  private GuestJar() {}

  /**
   * Locates the jar with this JVM's properties and environment. The code location (a protection
   * domain and URI walk) is only computed when neither the property nor the environment names a jar:
   * the launcher always sets the property, and this runs on every run's start-up path.
   */
  public static Path locate() throws SandboxException {
    return locate(System.getProperty(PROPERTY), System.getenv(), GuestJar::codeLocation, BundledGuestJar::resource);
  }

  /** Pure variant for tests. */
  public static Path locate(String property, Map<String, String> env, Optional<Path> codeLocation)
      throws SandboxException {
    return locate(property, env, () -> codeLocation, () -> null);
  }

  /** Pure variant for tests, with the bundle's resource URL (null: no bundle on the class path). */
  public static Path locate(String property, Map<String, String> env, Optional<Path> codeLocation, URL bundle)
      throws SandboxException {
    return locate(property, env, () -> codeLocation, () -> bundle);
  }

  private static Path locate(String property, Map<String, String> env, Supplier<Optional<Path>> codeLocation,
      Supplier<URL> bundle) throws SandboxException {
    StringBuilder tried = new StringBuilder();
    if (property != null && !property.isBlank()) {
      Path p = Path.of(property);
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
      tried.append("system property ").append(PROPERTY).append('=').append(p).append(" (no such file); ");
    } else {
      tried.append("system property ").append(PROPERTY).append(" (not set); ");
    }
    String e = env.get(ENV);
    if (e != null && !e.isBlank()) {
      Path p = Path.of(e);
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
      tried.append("env ").append(ENV).append('=').append(p).append(" (no such file); ");
    } else {
      tried.append("env ").append(ENV).append(" (not set); ");
    }
    Optional<Path> next = codeLocation.get().map(c -> c.resolveSibling(FILE_NAME));
    if (next.isPresent() && Files.isRegularFile(next.get())) {
      return next.get().toAbsolutePath();
    }
    tried.append(next.map(p -> p + " (no such file)").orElse("next to the sandboxkit library (location unknown)"));
    URL bundled = bundle.get();
    if (bundled != null) {
      Optional<Path> dir = BundledGuestJar.cacheDir(env);
      if (dir.isEmpty()) {
        throw new SandboxException(FailurePhase.REJECTED,
            "the bundled guest agent cannot be copied out: no cache folder",
            "neither XDG_CACHE_HOME nor HOME is an absolute path; set one of them, or pass guestJar(..)");
      }
      try {
        return BundledGuestJar.materialize(bundled, dir.get());
      } catch (IOException | RuntimeException ex) {
        throw new SandboxException(FailurePhase.REJECTED,
            "the bundled guest agent could not be copied into " + dir.get(),
            ex.getMessage() + "; fix or remove that folder, point XDG_CACHE_HOME elsewhere, or pass guestJar(..)",
            ex);
      }
    }
    tried.append("; " + BundledGuestJar.RESOURCE + " on the class path (not there)");
    throw new SandboxException(FailurePhase.REJECTED,
        "the guest agent jar " + FILE_NAME + " was not found",
        "tried " + tried + ". Depend on dev.sandboxkit:sandbox-lifecycle without excluding "
            + "dev.sandboxkit:guest-agent-bundle (it carries the agent), or build it (mvn -pl guest-agent package) "
            + "and point -D" + PROPERTY + "=PATH or " + ENV + "=PATH at it, or put it next to the sandboxkit jar.");
  }

  static Optional<Path> codeLocation() {
    try {
      CodeSource cs = GuestJar.class.getProtectionDomain().getCodeSource();
      if (cs == null || cs.getLocation() == null) {
        return Optional.empty();
      }
      return Optional.of(Path.of(cs.getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
