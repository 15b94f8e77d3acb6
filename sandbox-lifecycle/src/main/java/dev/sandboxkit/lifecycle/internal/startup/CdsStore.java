package dev.sandboxkit.lifecycle.internal.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The guest archives in the cache folder: {@code guest-<key>-<size>.jsa} (0444, owned by the host
 * user, in a folder only that user can write), {@code guest-<key>.failed} (why training failed, so
 * it is not retried for that key) and {@code train-<pid>-<start>-<random>/} (one training's scratch).
 *
 * <p>The size in the name is the integrity check: it is recorded by the same atomic rename that
 * publishes the file, so two JVMs publishing at once cannot leave a name and a size that disagree,
 * and a truncated archive (which would crash the guest JVM with SIGBUS) is never mapped.
 */
public final class CdsStore {
  static final Duration PRUNE_AFTER = Duration.ofDays(30);
  /** Other keys' archives kept (most recently modified first) when one is published. */
  static final int KEEP_OTHERS = 4;
  /**
   * The size bound of the folder's archives, the launcher's {@code cli-*.jsa} and {@code cli-*.aot}
   * included (each run of a rebuilt jar leaves one, ~20 MB; a guest archive is ~9 MB, an AOT cache
   * more): past it the least recently used go
   * first, never the archive just published.
   */
  static final long MAX_BYTES = 128L * 1024 * 1024;
  /** A used archive's mtime is refreshed when older than this, so pruning spares archives in use. */
  public static final Duration TOUCH_AFTER = Duration.ofDays(7);
  static final String TRAINING_PREFIX = "train-";
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(CdsStore.class.getName());
  }

  private final Path dir;

  public CdsStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** What one stat (not following links) says about a file. */
  public record Facts(boolean regularFile, boolean directory, long uid, int mode, long size, long mtimeMillis) {
    public static Facts of(Path p) throws IOException {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,size,lastModifiedTime,isRegularFile,isDirectory",
          LinkOption.NOFOLLOW_LINKS);
      return new Facts((Boolean) a.get("isRegularFile"), (Boolean) a.get("isDirectory"),
          ((Number) a.get("uid")).longValue(), ((Number) a.get("mode")).intValue() & 07777,
          ((Number) a.get("size")).longValue(), ((FileTime) a.get("lastModifiedTime")).toMillis());
    }
  }

  /** Why the cache folder must not be trusted, or empty when it may (ours, writable only by us). */
  static Optional<String> rejectDir(Facts f, long euid) {
    if (!f.directory()) {
      return Optional.of("it is not a directory");
    }
    if (f.uid() != euid) {
      return Optional.of("it is owned by uid " + f.uid() + ", not by this user (uid " + euid + ")");
    }
    if ((f.mode() & 022) != 0) {
      return Optional.of("others may write to it (mode " + octal(f.mode()) + ")");
    }
    return Optional.empty();
  }

  /**
   * Why an archive must not be mapped, or empty when it may.
   *
   * @param publishedSize the size recorded in its name at publish time
   */
  static Optional<String> rejectArchive(Facts f, long euid, long publishedSize) {
    if (!f.regularFile()) {
      return Optional.of("it is not a regular file");
    }
    if (f.uid() != euid) {
      return Optional.of("it is owned by uid " + f.uid() + ", not by this user (uid " + euid + ")");
    }
    if ((f.mode() & 022) != 0) {
      return Optional.of("others may write to it (mode " + octal(f.mode()) + ")");
    }
    if (f.size() != publishedSize) {
      return Optional.of("it has " + f.size() + " bytes but was published with " + publishedSize
          + " (truncated or changed)");
    }
    return Optional.empty();
  }

  public static String archiveName(String key, long size) {
    return "guest-" + key + "-" + size + ".jsa";
  }

  /** The published size in an archive's name for {@code key}, or empty when the name is not one. */
  static Optional<Long> publishedSize(String fileName, String key) {
    String prefix = "guest-".concat(key).concat("-");
    if (!fileName.startsWith(prefix) || !fileName.endsWith(".jsa")) {
      return Optional.empty();
    }
    String digits = fileName.substring(prefix.length(), fileName.length() - ".jsa".length());
    if (digits.isEmpty() || digits.length() > 18 || digits.charAt(0) == '0') {
      return Optional.empty();
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(digits));
  }

  Path failureNote(String key) {
    return dir.resolve("guest-" + key + ".failed");
  }

  /**
   * A usable archive for {@code key}: the folder and the file pass {@link #rejectDir} and {@link
   * #rejectArchive}. Each rejection is added to {@code rejected}.
   */
  Optional<Path> find(String key, long euid, List<String> rejected) {
    try {
      Optional<String> bad = rejectDir(Facts.of(dir), euid);
      if (bad.isPresent()) {
        rejected.add("the cache folder " + dir + " is not safe: " + bad.get());
        return Optional.empty();
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      rejected.add("cannot read the cache folder " + dir + ": " + e);
      return Optional.empty();
    }
    // Hot path of every run: no glob, regex or string-concatenation bootstrap (each costs a cold JVM ms).
    String prefix = "guest-".concat(key).concat("-");
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (p.getFileName().toString().startsWith(prefix)) {
          candidates.add(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      rejected.add("cannot list " + dir + ": " + e);
      return Optional.empty();
    }
    candidates.sort(Comparator.naturalOrder());
    for (Path p : candidates) {
      Optional<Long> size = publishedSize(p.getFileName().toString(), key);
      if (size.isEmpty()) {
        continue;
      }
      try {
        Facts f = Facts.of(p);
        Optional<String> bad = rejectArchive(f, euid, size.get());
        if (bad.isPresent()) {
          rejected.add(p + " is ignored: " + bad.get());
          continue;
        }
        touchIfOld(p, f);
        return Optional.of(p);
      } catch (IOException | RuntimeException e) {
        rejected.add("cannot read " + p + ": " + e);
      }
    }
    return Optional.empty();
  }

  private static void touchIfOld(Path p, Facts f) {
    long now = System.currentTimeMillis();
    if (now - f.mtimeMillis() > TOUCH_AFTER.toMillis()) {
      try {
        Files.setLastModifiedTime(p, FileTime.fromMillis(now));
      } catch (IOException | RuntimeException e) {
        // only pruning may come earlier
      }
    }
  }

  /**
   * Creates the folder owner-only (parents with default permissions), or restricts an existing one
   * we own to 0700.
   *
   * @throws IOException when it cannot be created or is not ours
   */
  void secure(long euid) throws IOException {
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // checked below
    }
    Facts f = Facts.of(dir);
    if (!f.directory() || f.uid() != euid) {
      throw new IOException(rejectDir(f, euid).orElse("it is not usable"));
    }
    if (f.mode() != 0700) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** A fresh owner-only scratch folder for one training, named after this process. */
  public Path newTrainingDir() throws IOException {
    ProcessHandle self = ProcessHandle.current();
    String name = TRAINING_PREFIX + self.pid() + "-" + startMillis(self) + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    return Files.createDirectory(dir.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Removes training folders whose process is gone (a host killed mid-training); returns how many. */
  int removeStaleTrainingDirs() {
    int removed = 0;
    Pattern training = Pattern.compile("train-([0-9]{1,18})-([0-9]{1,18})-[0-9a-z]+");
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, TRAINING_PREFIX + "*")) {
      for (Path p : s) {
        Matcher m = training.matcher(p.getFileName().toString());
        if (m.matches() && !alive(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))) {
          deleteTree(p);
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "cannot collect stale training folders in {0}: {1}", dir, e);
    }
    return removed;
  }

  /** Whether the process {@code pid} started at {@code startMillis} (0: unknown) still runs. */
  static boolean alive(long pid, long startMillis) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return false;
    }
    return startMillis == 0 || startMillis(h.get()) == startMillis;
  }

  private static long startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * Publishes a verified archive: renames {@code staged} (in a training folder inside {@link #dir})
   * to {@code guest-<key>-<size>.jsa}, then prunes other keys' files.
   */
  public Path publish(Path staged, String key) throws IOException {
    long size = Files.size(staged);
    Path target = dir.resolve(archiveName(key, size));
    try {
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + staged + " to " + target + " atomically: " + e.getMessage(), e);
    }
    prune(key, Instant.now());
    return target;
  }

  /**
   * Deletes {@code guest-*} files of other keys not modified for {@link #PRUNE_AFTER}, and other
   * keys' archives beyond the {@link #KEEP_OTHERS} most recently modified (every rebuilt guest jar
   * has a new key: a developer's cache would otherwise gain 9 MB per build). Returns how many.
   */
  int prune(String key, Instant now) {
    int removed = 0;
    List<Path> others = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "guest-*")) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (name.startsWith("guest-" + key + "-") || name.startsWith("guest-" + key + ".")
            || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(now.minus(PRUNE_AFTER))) {
          Files.deleteIfExists(p);
          removed++;
        } else if (name.endsWith(".jsa")) {
          others.add(p);
        }
      }
      others.sort(Comparator.comparing(CdsStore::mtime).reversed());
      for (Path p : others.subList(Math.min(KEEP_OTHERS, others.size()), others.size())) {
        Files.deleteIfExists(p);
        removed++;
      }
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "pruning old guest archives in {0} stopped: {1}", dir, e);
    }
    return removed + bound(key, MAX_BYTES);
  }

  /** Deletes the least recently used archives (guest and launcher) until the rest fit {@code maxBytes}. */
  int bound(String key, long maxBytes) {
    int removed = 0;
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "{guest-*.jsa,cli-*.jsa,cli-*.aot}")) {
      for (Path p : s) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          archives.add(p);
        }
      }
      String mine = "guest-" + key + "-";
      // this key's archive counts first (it is always kept), then the most recently used
      archives.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith(mine))
          .thenComparing(Comparator.comparing(CdsStore::lastUse).reversed()));
      long kept = 0;
      for (Path p : archives) {
        long size = Files.size(p);
        if (kept + size > maxBytes && !p.getFileName().toString().startsWith(mine)) {
          Files.deleteIfExists(p);
          removed++;
        } else {
          kept += size;
        }
      }
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "bounding the archives in {0} stopped: {1}", dir, e);
    }
    return removed;
  }

  /** The later of modification and access: the launcher's archives are read, not touched, by each run. */
  private static FileTime lastUse(Path p) {
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.lastModifiedTime().compareTo(a.lastAccessTime()) >= 0 ? a.lastModifiedTime() : a.lastAccessTime();
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static FileTime mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** Writes {@code guest-<key>.failed} atomically (owner-only). */
  void writeFailureNote(String key, String text) throws IOException {
    Path note = failureNote(key);
    Path tmp = dir.resolve(note.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, note, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Deletes a folder tree without following symbolic links; best effort. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          Log.LOG.log(System.Logger.Level.DEBUG, "cannot delete {0}: {1}", p, e.getMessage());
        }
      });
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "cannot delete {0}: {1}", root, e);
    }
  }

  static String octal(int mode) {
    return String.format("%04o", mode);
  }
}
