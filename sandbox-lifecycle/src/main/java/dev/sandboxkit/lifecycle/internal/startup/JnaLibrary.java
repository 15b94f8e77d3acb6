package dev.sandboxkit.lifecycle.internal.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import dev.sandboxkit.lifecycle.internal.controlplane.EffectiveUid;

/**
 * JNA's native dispatch library for the guest, extracted once on the host. Without it the guest's
 * JNA unpacks {@code libjnidispatch.so} from the guest jar into the sandbox's fresh /tmp on every
 * start (a SecureRandom temporary name, a 130 KiB write, then the load: tens of milliseconds before
 * the first job can start). Instead the host copies it out of the guest jar into the cache folder
 * of the guest's class-data archives ({@link CdsConfig}), as {@code guest-jna-<key>.so} (0444, in
 * the owner-only folder; the key is the guest jar's real path, size and modification time), and
 * the driver (the bubblewrap driver's {@code BwrapCommand}) binds it read-only at {@link #INSIDE_FILE} with {@code jna.boot.library.path}
 * pointing there.
 *
 * <p>Off with the archives ({@code SANDBOXKIT_NO_CDS}, {@code -Dsandboxkit.cds=false}) or with
 * {@code -Dsandboxkit.guest.jna=false}.
 *
 * <p>Never fails a run: whenever the library cannot be found, trusted or extracted, the sandbox
 * gets none and the guest's JNA unpacks its own as before (likewise if the bound file does not load,
 * or vanishes before bwrap binds it: the bind is {@code --ro-bind-try}). Trust is the archives':
 * the folder and the file must belong to this user and be writable by no one else. Old keys' files
 * start with {@code guest-}, so {@link CdsStore#prune} removes them after 30 days unused.
 */
public final class JnaLibrary {
  /** Where the guest sees the library; its folder is the one {@code jna.boot.library.path} names. */
  public static final String INSIDE_FILE = GuestCds.INSIDE_ROOT + "/libjnidispatch.so";
  /** The guest JVM flag that makes JNA load {@link #INSIDE_FILE} (it falls back when the file is absent). */
  public static final String BOOT_PATH_FLAG = "-Djna.boot.library.path=" + GuestCds.INSIDE_ROOT;
  public static final String PREFIX = "guest-jna-";
  /** A used library's mtime is refreshed when older than this, so pruning spares libraries in use. */
  static final long TOUCH_AFTER_MILLIS = CdsStore.TOUCH_AFTER.toMillis();
  /** Created on first use: the driver builds this on every run's launch path, before the logging backend is up. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(JnaLibrary.class.getName());
  }

  /** {@code -Dsandboxkit.guest.jna=false}: no pre-extracted library (the guest unpacks its own). */
  static final String PROPERTY_ENABLED = "sandboxkit.guest.jna";

  private final CdsConfig config;

  /** @param config the cache folder; when off ({@link CdsConfig#off}), no pre-extracted library */
  public JnaLibrary(CdsConfig config) {
    this.config = config;
  }

  CdsConfig config() {
    return config;
  }

  /** The library kept in another archives' folder (none when {@code other} is off). */
  public JnaLibrary withConfig(CdsConfig other) {
    return other.equals(config) ? this : new JnaLibrary(other);
  }

  /** The archives' folder ({@link CdsConfig#fromEnvironment}), unless {@link #PROPERTY_ENABLED} is false. */
  public static JnaLibrary fromEnvironment() {
    String enabled = System.getProperty(PROPERTY_ENABLED);
    if (enabled != null && enabled.strip().equalsIgnoreCase("false")) {
      return new JnaLibrary(CdsConfig.off("-D" + PROPERTY_ENABLED + "=false"));
    }
    return new JnaLibrary(CdsConfig.fromEnvironment());
  }

  /**
   * JNA's resource folder in its jar for a JVM architecture on Linux, or empty for one the guest jar
   * does not carry (pure).
   */
  static Optional<String> resource(String osArch) {
    switch (osArch) {
      case "amd64":
      case "x86_64":
        return Optional.of("com/sun/jna/linux-x86-64/libjnidispatch.so");
      case "aarch64":
      case "arm64":
        return Optional.of("com/sun/jna/linux-aarch64/libjnidispatch.so");
      default:
        return Optional.empty();
    }
  }

  /** The file name for a guest jar (pure): its real path, size and mtime, hashed to 16 hex digits. */
  static String fileName(String jarRealPath, long size, long mtimeMillis) {
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bit
    String text = jarRealPath + "\n" + size + "\n" + mtimeMillis;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    String hex = Long.toHexString(h);
    return PREFIX + "0000000000000000".substring(hex.length()) + hex + ".so";
  }

  /**
   * The host file to bind for a sandbox whose guest jar is {@code guestJar}: the one extracted
   * before, or one extracted now. Empty when there is none to use (see the class comment). Never
   * throws.
   */
  public Optional<Path> forRun(Path guestJar) {
    try {
      return find(guestJar);
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "JNA library not pre-extracted ({0}); the guest unpacks its own", e);
      return Optional.empty();
    }
  }

  private Optional<Path> find(Path guestJar) throws IOException {
    Optional<String> resource = resource(System.getProperty("os.arch", ""));
    if (config.dir().isEmpty() || resource.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong euid = EffectiveUid.read();
    if (euid.isEmpty()) {
      return Optional.empty();
    }
    Path jar = guestJar.toRealPath();
    BasicFileAttributes j = Files.readAttributes(jar, BasicFileAttributes.class);
    CdsStore store = new CdsStore(config.dir().get());
    Path lib = store.dir().resolve(fileName(jar.toString(), j.size(), j.lastModifiedTime().toMillis()));
    CdsStore.Facts dir;
    try {
      dir = CdsStore.Facts.of(store.dir());
    } catch (NoSuchFileException e) {
      dir = null; // created below
    }
    if (dir != null) {
      Optional<String> bad = CdsStore.rejectDir(dir, euid.getAsLong());
      if (bad.isPresent()) {
        Log.LOG.log(System.Logger.Level.DEBUG, "JNA library not pre-extracted: the cache folder {0} is not safe: {1}",
            store.dir(), bad.get());
        return Optional.empty();
      }
      try {
        CdsStore.Facts f = CdsStore.Facts.of(lib);
        Optional<String> why = reject(f, euid.getAsLong());
        if (why.isPresent()) {
          Log.LOG.log(System.Logger.Level.DEBUG, "JNA library {0} is ignored: {1}", lib, why.get());
          return Optional.empty();
        }
        touchIfOld(lib, f);
        return Optional.of(lib);
      } catch (NoSuchFileException e) {
        // extracted below
      }
    }
    store.secure(euid.getAsLong());
    extract(jar, resource.get(), lib);
    return Optional.of(lib);
  }

  /** Why a library file must not be bound, or empty when it may (pure). */
  static Optional<String> reject(CdsStore.Facts f, long euid) {
    if (f.regularFile() && f.size() == 0) {
      return Optional.of("it is empty");
    }
    // The archives' rules; the size check passes by construction (the library's is not in its name).
    return CdsStore.rejectArchive(f, euid, f.size());
  }

  /**
   * Copies {@code resource} out of {@code jar} into {@code target}: through an owner-only temporary
   * file in the same folder (named {@code guest-jna-tmp-*}, so pruning collects one left by a killed
   * host), flushed, made read-only, then renamed into place atomically.
   */
  static void extract(Path jar, String resource, Path target) throws IOException {
    Path tmp = target.resolveSibling(PREFIX + "tmp-" + Long.toString(ThreadLocalRandom.current().nextLong()
        & Long.MAX_VALUE, 36));
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        ZipEntry e = zip.getEntry(resource);
        if (e == null) {
          throw new IOException(jar + " has no " + resource);
        }
        try (InputStream in = zip.getInputStream(e);
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          OutputStream out = Channels.newOutputStream(ch);
          long n = in.transferTo(out);
          if (n == 0) {
            throw new IOException(resource + " in " + jar + " is empty");
          }
          ch.force(true);
        }
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename " + tmp + " to " + target + " atomically: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void touchIfOld(Path p, CdsStore.Facts f) {
    long now = System.currentTimeMillis();
    if (now - f.mtimeMillis() > TOUCH_AFTER_MILLIS) {
      try {
        Files.setLastModifiedTime(p, FileTime.fromMillis(now));
      } catch (IOException | RuntimeException e) {
        // only pruning may come earlier, and the guest then unpacks its own
      }
    }
  }
}
