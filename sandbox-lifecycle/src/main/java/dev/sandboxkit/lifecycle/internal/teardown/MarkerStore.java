package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.AtomicJson;
import dev.sandboxkit.lifecycle.internal.controlplane.Ids;
import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Run directories and their markers under one owner-only root, by default
 * {@code <java.io.tmpdir>/sandboxkit/oneshot}; each run lives in {@code <root>/<uuid>/} with its
 * marker {@value #MARKER_FILE}.
 *
 * <p>Markers are written atomically and durably ({@link AtomicJson}). A marker is trusted only when
 * the root and the marker file are owned by the current user (fixes weakness W12).
 */
public final class MarkerStore {

  /** Marker file name inside a run dir (mxc's name). */
  public static final String MARKER_FILE = "oneshot.marker";

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(MarkerStore.class.getName());
  }

  private final Path root;
  /** Run dirs this view never lists (normalised absolute paths). */
  private final Set<Path> excluded;

  /** A store rooted at {@code root} (created and secured by {@link #secureRoot()}). */
  public MarkerStore(Path root) {
    this(root.toAbsolutePath().normalize(), Set.of());
  }

  private MarkerStore(Path root, Set<Path> excluded) {
    this.root = root;
    this.excluded = excluded;
  }

  /**
   * The same store, except that {@link #listRunDirs()} and {@link #listMarkerDirs()} never list
   * {@code runDir}: a run that reconciles the others after its own launch hands this view to the
   * driver, so neither reconcile nor {@link ScratchGc} can ever touch its own dir, whatever its
   * marker says (e.g. an unknown launcher creation time, which counts as a dead launcher).
   */
  public MarkerStore excluding(Path runDir) {
    Set<Path> more = new HashSet<>(excluded);
    more.add(runDir.toAbsolutePath().normalize());
    return new MarkerStore(root, Set.copyOf(more));
  }

  /** {@code <java.io.tmpdir>/sandboxkit/oneshot}. */
  public static Path defaultRoot() {
    return defaultRoot(System.getProperty("java.io.tmpdir"), System.getProperty("user.name"), isWindows());
  }

  /**
   * {@code <tmp>/sandboxkit/oneshot} on Windows, where the temp dir is already per user, and {@code
   * <tmp>/sandboxkit-<user>/oneshot} elsewhere, where {@code /tmp} is shared: a root created by one
   * user must not lock every other user out (the owner check would refuse it).
   */
  static Path defaultRoot(String tmpDir, String userName, boolean windows) {
    String top = windows ? "sandboxkit" : "sandboxkit-" + safeName(userName);
    return Path.of(tmpDir, top, "oneshot");
  }

  private static String safeName(String userName) {
    String s = userName == null ? "" : userName.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "user" : s;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /**
   * Creates the root owner-only (or checks that an existing one is ours) before any marker in it is
   * trusted.
   *
   * @throws dev.sandboxkit.lifecycle.internal.controlplane.OwnershipException when another user owns it
   */
  public Path secureRoot() throws IOException {
    OwnerOnly.ensureDirectory(root);
    return root;
  }

  /**
   * Creates a fresh owner-only run dir {@code <root>/<uuid>} (the root must be secured). The name is
   * unique, not secret ({@link Ids}: the root is owner-only); the create is exclusive, and a clash
   * is retried with another name.
   */
  public Path createRunDir() throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return createRunDir(Ids.uuid());
      } catch (FileAlreadyExistsException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Creates the owner-only run dir named {@code id} (the sandbox id, chosen before anything exists so
   * that every event of the start carries it).
   *
   * @throws FileAlreadyExistsException when a run dir of that id exists already
   */
  public Path createRunDir(UUID id) throws IOException {
    Path dir = root.resolve(id.toString());
    Files.createDirectory(dir, OwnerOnly.dirAttribute(dir));
    return dir;
  }

  /** The marker path of a run dir. */
  public static Path markerFile(Path runDir) {
    return runDir.resolve(MARKER_FILE);
  }

  /** Writes (or atomically replaces) the marker of {@code runDir}. */
  public void write(Path runDir, Marker marker) throws IOException {
    AtomicJson.writeBytes(markerFile(runDir), marker.toJson());
  }

  /**
   * Reads the marker of {@code runDir}.
   *
   * @return empty when there is no marker file
   * @throws MarkerFormatException when it cannot be parsed (counts as dead launcher, no proof)
   * @throws dev.sandboxkit.lifecycle.internal.controlplane.OwnershipException when another user owns it
   */
  public Optional<Marker> read(Path runDir) throws IOException {
    Path file = markerFile(runDir);
    byte[] bytes;
    try {
      OwnerOnly.verifyOwner(file);
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(Marker.parse(bytes));
  }

  /**
   * Reads a marker for reconcile: any marker that cannot be read, parsed or trusted becomes a dead
   * launcher with no proof (pid 0, unknown creation time, empty proof). Empty only when absent.
   */
  public Optional<Marker> readLenient(Path runDir) {
    try {
      return read(runDir);
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.WARNING, "untrusted or unreadable marker in " + runDir
          + " counts as a dead run with no proof: " + e.getMessage());
      return Optional.of(new Marker(0, null, List.of()));
    }
  }

  /** Immediate subdirectories of the root that contain a marker file; empty when the root is missing. */
  public List<Path> listMarkerDirs() {
    List<Path> dirs = new ArrayList<>();
    for (Path dir : listRunDirs()) {
      if (Files.exists(markerFile(dir), LinkOption.NOFOLLOW_LINKS)) {
        dirs.add(dir);
      }
    }
    return dirs;
  }

  /**
   * Every immediate subdirectory of the root (not following links, less the {@linkplain #excluding
   * excluded} ones); empty when the root is missing.
   */
  public List<Path> listRunDirs() {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            && !excluded.contains(p.toAbsolutePath().normalize())) {
          dirs.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.WARNING, "could not list run dirs in " + root + ": " + e);
    }
    dirs.sort(null);
    return dirs;
  }

  /**
   * Removes the marker file first, then the whole run dir. Errors are ignored (logged): a surviving
   * dir is markerless and left to {@link ScratchGc}.
   *
   * @return true when the run dir is gone afterwards
   */
  public static boolean clearMarkerDir(Path runDir) {
    try {
      Files.deleteIfExists(markerFile(runDir));
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.WARNING, "could not remove marker in " + runDir + ": " + e);
      return false;
    }
    deleteTree(runDir);
    return !Files.exists(runDir, LinkOption.NOFOLLOW_LINKS);
  }

  /** Best-effort recursive delete that never follows symbolic links. */
  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) {
          delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "could not remove " + dir + ": " + e);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "could not remove " + p + ": " + e);
    }
  }

  /** Sweeps temp files older than {@code minAge} left in {@code runDir} by crashed marker writers. */
  public static List<Path> sweepTemps(Path runDir, Duration minAge) {
    return AtomicJson.sweepStaleTemps(runDir, minAge);
  }
}
