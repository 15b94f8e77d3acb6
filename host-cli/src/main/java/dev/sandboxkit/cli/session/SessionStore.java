package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.internal.controlplane.AtomicJson;
import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sessions' state: an owner-only root (beside the library's one-shot markers, per user), one
 * owner-only folder per session named by its id ({@code record.json}, {@code secret},
 * {@code daemon.json}, {@code daemon.sock}, {@code daemon.log}), and {@code names/<name>} files
 * (created exclusively, so a name is unique) holding the id. Nothing here trusts a path built from
 * user input: ids pass {@link SessionId#isToken} first.
 */
public final class SessionStore {
  public static final String ENV = "SANDBOXKIT_SESSIONS_DIR";
  public static final String PROPERTY = "sandboxkit.sessions.dir";
  static final String RECORD = "record.json";
  static final String SECRET = "secret";
  static final String DAEMON = "daemon.json";
  static final String SOCKET = "daemon.sock";
  static final String LOG = "daemon.log";
  private static final int MINT_ATTEMPTS = 16;

  private final Path root;

  public SessionStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** {@value #PROPERTY}, else {@value #ENV}, else {@code <tmp>/sandboxkit-<user>/sessions}. */
  public static Path defaultRoot() {
    String p = System.getProperty(PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv(ENV);
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    return MarkerStore.defaultRoot().getParent().resolve("sessions");
  }

  public Path root() {
    return root;
  }

  /** Creates (or checks) the root owner-only; refuses one owned by another user. */
  public void secureRoot() throws SessionException {
    try {
      OwnerOnly.ensureDirectory(root);
      OwnerOnly.ensureDirectory(root.resolve("names"));
    } catch (IOException e) {
      throw new SessionException(SessionException.Kind.IO, "cannot use the session folder " + root
          + ": " + e.getMessage(), "remove it if no session is running, or set " + ENV, e);
    }
  }

  /** The folder of session {@code id}; {@code id} must be a valid token. */
  public Path dir(String id) {
    if (!SessionId.isToken(id)) {
      throw new IllegalArgumentException("malformed id " + SessionId.quote(id));
    }
    return root.resolve(id);
  }

  public Path socket(String id) {
    return dir(id).resolve(SOCKET);
  }

  public Path log(String id) {
    return dir(id).resolve(LOG);
  }

  public Path secretFile(String id) {
    return dir(id).resolve(SECRET);
  }

  /**
   * Creates a new session: a fresh id (exclusive folder creation, retried on a collision), the
   * name claimed exclusively, the record and the secret written owner-only.
   *
   * @param make builds the record for the minted id
   */
  public SessionRecord create(java.util.function.Function<String, SessionRecord> make, String secret)
      throws SessionException {
    secureRoot();
    String id = null;
    for (int i = 0; i < MINT_ATTEMPTS && id == null; i++) {
      String candidate = SessionId.mint();
      try {
        Files.createDirectory(root.resolve(candidate), OwnerOnly.dirAttribute(root));
        id = candidate;
      } catch (FileAlreadyExistsException e) {
        // collision: try another
      } catch (IOException e) {
        throw io("create a session folder in " + root, e);
      }
    }
    if (id == null) {
      throw new SessionException(SessionException.Kind.IO, "could not mint a free session id in "
          + MINT_ATTEMPTS + " attempts", "remove stale sessions with 'sandboxkit cleanup'");
    }
    SessionRecord rec = make.apply(id);
    try {
      if (rec.name().isPresent()) {
        claimName(rec.name().get(), id);
      }
      write(rec);
      Files.writeString(Files.createFile(secretFile(id), OwnerOnly.fileAttribute(root)), secret,
          StandardCharsets.US_ASCII);
      return rec;
    } catch (SessionException | IOException | RuntimeException e) {
      deleteQuietly(id, rec.name());
      if (e instanceof SessionException se) {
        throw se;
      }
      throw io("write the session record", e instanceof IOException io ? io : new IOException(e));
    }
  }

  private void claimName(String name, String id) throws SessionException, IOException {
    if (!SessionId.isName(name)) {
      throw new SessionException(SessionException.Kind.MALFORMED_ID, "invalid name "
          + SessionId.quote(name), "use 1-32 characters a-z 0-9 _ -, starting with a letter "
          + "(and not 8 hex digits, which is an id)");
    }
    Path claim = root.resolve("names").resolve(name);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.writeString(Files.createFile(claim, OwnerOnly.fileAttribute(claim)), id,
            StandardCharsets.US_ASCII);
        return;
      } catch (FileAlreadyExistsException e) {
        Optional<String> holder = nameHolder(name);
        if (holder.isPresent() && Files.isDirectory(root.resolve(holder.get()), LinkOption.NOFOLLOW_LINKS)) {
          throw new SessionException(SessionException.Kind.NAME_TAKEN, "the name " + name
              + " is taken by session " + holder.get(), "pick another --name, or stop " + name + " first");
        }
        Files.deleteIfExists(claim); // its session is gone: a stale claim
      }
    }
    throw new SessionException(SessionException.Kind.NAME_TAKEN, "the name " + name
        + " is being claimed by another start", "pick another --name");
  }

  private Optional<String> nameHolder(String name) {
    try {
      String id = Files.readString(root.resolve("names").resolve(name), StandardCharsets.US_ASCII).strip();
      return SessionId.isToken(id) ? Optional.of(id) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The id for {@code idOrName}: an id (8 lowercase hex digits) whose folder exists, or a name.
   * Anything else is refused before a path is built from it.
   */
  public String resolve(String idOrName) throws SessionException {
    if (SessionId.isToken(idOrName)) {
      if (!Files.isDirectory(root.resolve(idOrName), LinkOption.NOFOLLOW_LINKS)) {
        throw unknown(idOrName);
      }
      return idOrName;
    }
    if (SessionId.isName(idOrName)) {
      Optional<String> id = nameHolder(idOrName);
      if (id.isEmpty() || !Files.isDirectory(root.resolve(id.get()), LinkOption.NOFOLLOW_LINKS)) {
        throw unknown(idOrName);
      }
      return id.get();
    }
    throw new SessionException(SessionException.Kind.MALFORMED_ID, "not a sandbox id or name: "
        + SessionId.quote(idOrName), "pass the id 'sandboxkit start' printed (8 lowercase hex "
        + "digits) or its --name; 'sandboxkit ls' lists them");
  }

  private SessionException unknown(String idOrName) {
    return new SessionException(SessionException.Kind.UNKNOWN, "no sandbox " + idOrName,
        "'sandboxkit ls' lists the running sandboxes");
  }

  /** The record of {@code id}; empty when its folder or record is missing. */
  public Optional<SessionRecord> read(String id) throws SessionException {
    Path f = dir(id).resolve(RECORD);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw io("read " + f, e);
    }
    try {
      SessionRecord r = SessionRecord.parse(bytes);
      if (!r.id().equals(id)) {
        throw new IOException("it names session " + r.id());
      }
      return Optional.of(r);
    } catch (IOException e) {
      throw new SessionException(SessionException.Kind.CORRUPT, "the record of sandbox " + id
          + " is unreadable: " + e.getMessage(), "stop it with 'sandboxkit stop " + id + "' or "
          + "remove " + dir(id), e);
    }
  }

  /** Atomically replaces the record (owner-only temp file, rename). */
  public void write(SessionRecord r) throws SessionException {
    try {
      OwnerOnly.ensureDirectory(dir(r.id()));
      AtomicJson.writeBytes(dir(r.id()).resolve(RECORD), r.toJson());
    } catch (IOException e) {
      throw io("write the record of sandbox " + r.id(), e);
    }
  }

  public String secret(String id) throws SessionException {
    try {
      return Files.readString(secretFile(id), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new SessionException(SessionException.Kind.CORRUPT, "the secret of sandbox " + id
          + " is unreadable: " + e.getMessage(), "stop it with 'sandboxkit stop " + id + "'", e);
    }
  }

  /** The daemon's own record, if it wrote one (unreadable = empty: the daemon may be mid-write). */
  public Optional<DaemonInfo> daemon(String id) {
    try {
      return Optional.of(DaemonInfo.parse(Files.readAllBytes(dir(id).resolve(DAEMON))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public void writeDaemon(String id, DaemonInfo info) throws IOException {
    AtomicJson.writeBytes(dir(id).resolve(DAEMON), info.toJson());
  }

  /** Every session folder: its record, or the error that makes it unreadable. */
  public List<Listed> list() {
    List<Listed> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        String id = p.getFileName().toString();
        if (!SessionId.isToken(id) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          Optional<SessionRecord> r = read(id);
          out.add(new Listed(id, r, r.isEmpty() ? Optional.of("no record.json") : Optional.empty()));
        } catch (SessionException e) {
          out.add(new Listed(id, Optional.empty(), Optional.of(e.getMessage())));
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      out.add(new Listed("", Optional.empty(), Optional.of("cannot list " + root + ": " + e.getMessage())));
    }
    out.sort(Comparator.comparing(Listed::id));
    return out;
  }

  /** One folder found by {@link #list()}. */
  public record Listed(String id, Optional<SessionRecord> record, Optional<String> problem) {}

  /** Removes a session's folder and its name claim (NotFound is success). */
  public void delete(String id, Optional<String> name) throws SessionException {
    try {
      if (name.isPresent() && SessionId.isName(name.get()) && nameHolder(name.get()).map(id::equals).orElse(false)) {
        Files.deleteIfExists(root.resolve("names").resolve(name.get()));
      }
      Path dir = dir(id);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw io("remove " + dir(id), e);
    }
  }

  private void deleteQuietly(String id, Optional<String> name) {
    try {
      delete(id, name);
    } catch (SessionException e) {
      // the caller's error is the one to report
    }
  }

  private static SessionException io(String what, IOException e) {
    return new SessionException(SessionException.Kind.IO, "cannot " + what + ": " + e.getMessage(),
        "check the permissions of the session folder and retry", e);
  }
}
