package dev.sandboxkit.guest.job;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Linux and other POSIX systems: {@code /bin/sh -c <script_code>}. */
final class PosixJobLauncher implements JobLauncher {
  static final String SHELL = "/bin/sh";

  /** How long the first job waits for the background subreaper set-up before going on without it. */
  static final long SUBREAPER_WAIT_MS = 10_000;
  private static final System.Logger LOG = System.getLogger(PosixJobLauncher.class.getName());

  private final CompletableFuture<Subreaper> pending;
  private Subreaper subreaper;

  PosixJobLauncher(Subreaper subreaper) {
    this.pending = CompletableFuture.completedFuture(subreaper);
  }

  /**
   * Sets the subreaper up on a background thread (loading libc through JNA takes tens of
   * milliseconds, off the agent's start-up path); the first job waits for it, so every job starts
   * with it in place. The same thread warms the control codec and the process-start machinery, then
   * runs {@code warmUp} (the caller's: the first job's pumps, buffers and kill walk). Chooses the JDK's
   * launch mechanism first ({@link LaunchMechanism}).
   */
  static PosixJobLauncher withBackgroundSubreaper(Runnable warmUp) {
    LaunchMechanism.apply(); // before the warm-up below initializes java.lang.ProcessImpl
    CompletableFuture<Subreaper> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        Subreaper reaper = Subreaper.enable(); // loads libc through JNA
        AgentHardening.apply(); // before the first job can exist: every job waits for this future
        f.complete(reaper);
      } catch (RuntimeException | Error e) {
        f.completeExceptionally(e);
      }
      CodecWarmup.run(); // also off the start-up path, while the agent binds its listener
      ProcessStartWarmup.run();
      warmUp.run();
    }, "sk-subreaper-init");
    t.setDaemon(true);
    t.start();
    return new PosixJobLauncher(f);
  }

  private PosixJobLauncher(CompletableFuture<Subreaper> pending) {
    this.pending = pending;
  }

  /** The subreaper, waiting (bounded) for the background set-up on the first call. */
  synchronized Subreaper subreaper() {
    if (subreaper == null) {
      try {
        subreaper = pending.get(SUBREAPER_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Subreaper.none();
      } catch (ExecutionException | TimeoutException e) {
        LOG.log(System.Logger.Level.WARNING,
            "the child subreaper was not set up within {0} ms ({1}); daemonized job descendants may"
                + " escape the kill at job end", SUBREAPER_WAIT_MS, e.toString());
        subreaper = Subreaper.none();
      }
    }
    return subreaper;
  }

  /** The argument vector for a script (pure, for tests). */
  static List<String> command(String scriptCode) {
    return List.of(SHELL, "-c", scriptCode);
  }

  @Override
  public JobProcess start(String scriptCode, Path workingDirectory, Map<String, String> environment)
      throws IOException {
    String unencodable = unencodable(environment, envCharset());
    if (unencodable != null) {
      throw new IOException(unencodable);
    }
    Subreaper reaper = subreaper(); // in place before the job can fork anything
    Optional<JobUser> user = JobUser.parse(System.getenv(JobUser.ENV));
    ProcessBuilder pb = new ProcessBuilder(user.isPresent() ? user.get().wrap(command(scriptCode)) : command(scriptCode));
    pb.environment().remove(JobUser.ENV);
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    if (!environment.isEmpty()) {
      // The agent's environment (PATH, HOME, LANG, ... as the sandbox set it) overlaid by the job's.
      pb.environment().putAll(environment);
    }
    return new PosixJob(pb.start(), reaper);
  }

  @Override
  public boolean appliesEnvironment() {
    return true;
  }

  /**
   * The charset the JDK encodes environment strings with ({@code sun.jnu.encoding}, the locale's;
   * the sandbox sets {@code LANG=C.UTF-8}).
   */
  static Charset envCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  /**
   * Why {@code environment} cannot be handed to a job encoded in {@code charset} (the JDK would
   * replace what it cannot encode with {@code ?}, a silently different value), or null when it can.
   * Names the variable, never its value.
   */
  static String unencodable(Map<String, String> environment, Charset charset) {
    CharsetEncoder enc = null;
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (enc == null) {
        enc = charset.newEncoder();
      }
      boolean nameOk = enc.canEncode(e.getKey());
      if (!nameOk || !enc.canEncode(e.getValue())) {
        String name = !nameOk ? "with a name that is not ASCII"
            : e.getKey().length() <= 64 ? e.getKey() : e.getKey().substring(0, 64) + "...";
        return "environment variable " + name + " cannot be passed to the job: the agent runs with the"
            + " " + charset.name() + " charset; run the guest with a UTF-8 locale (LANG=C.UTF-8)";
      }
    }
    return null;
  }
}
