package dev.sandboxkit.lifecycle.internal.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * The guest agent a library user gets by dependency (issue 13.11): {@code guest-agent-bundle}
 * carries the runnable agent as the resource {@value #RESOURCE}. A sandbox maps a file, so the
 * resource is used in place when it is one (an exploded class path) and otherwise copied once into
 * {@code $XDG_CACHE_HOME/sandboxkit/guest} (or {@code ~/.cache/...}):
 * {@code sandboxkit-guest-<crc32>-<size>.jar}, read-only, in a folder only this user can write.
 *
 * <p>The copy is trusted only while it is a regular file of this user that nobody else may write,
 * with the size and CRC-32 of the bundled entry (checked once per JVM); otherwise it is replaced.
 * It is written to a temporary name and renamed, so a killed JVM never leaves a short jar under the
 * final name. Copies of other versions beyond the {@value #KEEP_OTHERS} most recent are deleted.
 */
final class BundledGuestJar {
  static final String RESOURCE = "META-INF/sandboxkit/sandboxkit-guest.jar";
  static final String PREFIX = "sandboxkit-guest-";
  static final int KEEP_OTHERS = 2;

  /** The jar for the resource URL this JVM already checked: no CRC pass per run. */
  private static volatile Map.Entry<String, Path> checked;

  private BundledGuestJar() {}

  /** The bundle's resource on this class path, or null without the dependency. */
  static URL resource() {
    ClassLoader cl = BundledGuestJar.class.getClassLoader();
    return cl != null ? cl.getResource(RESOURCE) : ClassLoader.getSystemResource(RESOURCE);
  }

  /** The cache folder for copies: {@code $XDG_CACHE_HOME} (absolute) or {@code $HOME/.cache}, + /sandboxkit/guest. */
  static Optional<Path> cacheDir(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg, "sandboxkit", "guest"));
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
      return Optional.of(Path.of(home, ".cache", "sandboxkit", "guest"));
    }
    return Optional.empty();
  }

  /**
   * The agent jar as a file for {@code resource}: the resource itself when it is a file, else a
   * checked copy in {@code dir}.
   *
   * @throws IOException when the copy cannot be made or the folder is not safe (the message says why)
   */
  static Path materialize(URL resource, Path dir) throws IOException {
    if (resource.getProtocol().equals("file")) {
      try {
        return Path.of(resource.toURI());
      } catch (URISyntaxException | RuntimeException e) {
        throw new IOException("the bundled guest jar's location " + resource + " is not a path", e);
      }
    }
    Map.Entry<String, Path> c = checked;
    String id = resource + "\n" + dir;
    if (c != null && c.getKey().equals(id) && Files.isRegularFile(c.getValue(), LinkOption.NOFOLLOW_LINKS)) {
      return c.getValue();
    }
    Entry e = entry(resource);
    secure(dir);
    Path target = dir.resolve(PREFIX + String.format("%08x", e.crc()) + "-" + e.size() + ".jar");
    if (!trusted(target, e)) {
      Files.deleteIfExists(target);
      copy(resource, dir, target, e);
    }
    prune(dir, target);
    checked = Map.entry(id, target);
    return target;
  }

  /** Size and CRC-32 of the bundled entry: from the zip directory, or by reading it. */
  record Entry(long size, long crc) {}

  static Entry entry(URL resource) throws IOException {
    URLConnection conn = resource.openConnection();
    conn.setUseCaches(false);
    if (conn instanceof JarURLConnection jar) {
      JarEntry je = jar.getJarEntry();
      if (je != null && je.getSize() >= 0 && je.getCrc() >= 0) {
        try {
          jar.getJarFile().close();
        } catch (IOException ignored) {
          // only a descriptor
        }
        return new Entry(je.getSize(), je.getCrc());
      }
    }
    try (InputStream in = conn.getInputStream()) {
      return checksum(in);
    }
  }

  private static Entry checksum(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[64 * 1024];
    long size = 0;
    for (int n; (n = in.read(buf)) > 0;) {
      crc.update(buf, 0, n);
      size += n;
    }
    return new Entry(size, crc.getValue());
  }

  /** Creates the folder owner-only, or makes an existing one of ours owner-only; refuses anyone else's. */
  static void secure(Path dir) throws IOException {
    if (!unix(dir)) { // Windows: the user's profile folder is the user's own
      Files.createDirectories(dir);
      return;
    }
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // checked below
    }
    Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
    if (!(Boolean) a.get("isDirectory")) {
      throw new IOException(dir + " is not a directory");
    }
    long uid = ((Number) a.get("uid")).longValue();
    long self = selfUid();
    if (uid != self) {
      throw new IOException(dir + " is owned by uid " + uid + ", not by this user (uid " + self + ")");
    }
    if ((((Number) a.get("mode")).intValue() & 077) != 0) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static long selfUid() throws IOException {
    // A file this process just made is owned by its effective uid.
    Path probe = Files.createTempFile("sandboxkit-uid", ".probe");
    try {
      return ((Number) Files.getAttribute(probe, "unix:uid")).longValue();
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Whether an existing copy may be mapped: ours, read-only for others, the bundled size and CRC. */
  static boolean trusted(Path p, Entry e) throws IOException {
    if (!unix(p)) {
      return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == e.size() && sameContent(p, e);
    }
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:uid,mode,size,isRegularFile", LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException missing) {
      return false;
    }
    if (!(Boolean) a.get("isRegularFile") || ((Number) a.get("uid")).longValue() != selfUid()
        || (((Number) a.get("mode")).intValue() & 022) != 0 || ((Number) a.get("size")).longValue() != e.size()) {
      return false;
    }
    if (!sameContent(p, e)) {
      return false;
    }
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis())); // in use: pruned last
    return true;
  }

  private static boolean sameContent(Path p, Entry e) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      return checksum(in).equals(e);
    }
  }

  private static boolean unix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("unix");
  }

  private static void copy(URL resource, Path dir, Path target, Entry e) throws IOException {
    Path tmp = dir.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
    try {
      Entry written;
      URLConnection conn = resource.openConnection();
      conn.setUseCaches(false);
      try (InputStream in = conn.getInputStream();
          OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long size = 0;
        for (int n; (n = in.read(buf)) > 0;) {
          out.write(buf, 0, n);
          crc.update(buf, 0, n);
          size += n;
        }
        written = new Entry(size, crc.getValue());
      }
      if (!written.equals(e)) {
        throw new IOException("the bundled guest jar read as " + written.size() + " bytes with CRC "
            + Long.toHexString(written.crc()) + ", not the " + e.size() + " bytes with CRC "
            + Long.toHexString(e.crc()) + " its jar records (a damaged download?)");
      }
      if (unix(tmp)) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
      } else {
        tmp.toFile().setReadOnly();
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException ex) {
        throw new IOException("cannot rename " + tmp + " to " + target + " atomically", ex);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Deletes other versions' copies beyond the {@link #KEEP_OTHERS} most recently used; best effort. */
  static void prune(Path dir, Path keep) {
    List<Path> others = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PREFIX + "*.jar")) {
      for (Path p : s) {
        if (!p.equals(keep) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          others.add(p);
        }
      }
      others.sort(Comparator.comparing(BundledGuestJar::mtime).reversed());
      for (Path p : others.subList(Math.min(KEEP_OTHERS, others.size()), others.size())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // pruning never fails a run
    }
  }

  private static FileTime mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** For tests: forget the per-JVM check. */
  static void forget() {
    checked = null;
  }
}
