package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.Command;
import dev.sandboxkit.lifecycle.Execution;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.Sandbox;
import dev.sandboxkit.lifecycle.SandboxBusyException;
import dev.sandboxkit.lifecycle.SandboxClosedException;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real {@link SessionSandbox.Factory}: the lifecycle library's live {@link Sandbox}, which
 * carries every one-shot guarantee (marker, proof, reconcile, host-death lifeline: if the daemon
 * dies, its sandbox dies). The teardown outcome comes from the listener's teardown events.
 */
public final class LibrarySandboxes implements SessionSandbox.Factory {
  private static final System.Logger LOG = System.getLogger(LibrarySandboxes.class.getName());

  @Override
  public SessionSandbox start(SessionRecord record, Runnable onClosed) throws SandboxException {
    SandboxDriver driver;
    try {
      driver = SandboxDrivers.byName(record.driver());
    } catch (RuntimeException e) {
      throw new SandboxException(FailurePhase.REJECTED, "the " + record.driver() + " driver is not available",
          String.valueOf(e.getMessage()));
    }
    AtomicReference<String> failed = new AtomicReference<>();
    AtomicBoolean closing = new AtomicBoolean();
    AtomicBoolean notified = new AtomicBoolean();
    AtomicReference<Sandbox> self = new AtomicReference<>();
    Runnable closedByItself = () -> {
      if (!closing.get() && notified.compareAndSet(false, true)) {
        Thread t = new Thread(() -> {
          logWhyClosed(self.get());
          onClosed.run();
        }, "sk-daemon-closed");
        t.setDaemon(true);
        t.start();
      }
    };
    SandboxListener listener = new SandboxListener() {
      // A first start for a guest jar and Java runtime trains the guest's archive (~3 s): say so in daemon.log.
      @Override
      public void archiveStart(String sandboxId) {
        LOG.log(System.Logger.Level.INFO, "sandbox " + sandboxId + ": training the guest's class-data archive first"
            + " (once per guest jar and Java runtime; 'sandboxkit prepare' does it ahead)");
      }

      @Override
      public void archiveEnd(String sandboxId) {
        LOG.log(System.Logger.Level.INFO, "sandbox " + sandboxId + ": the guest's class-data archive is built");
      }

      @Override
      public void archiveFailed(String sandboxId, String reason) {
        LOG.log(System.Logger.Level.WARNING, "sandbox " + sandboxId + ": the guest's class-data archive could not be"
            + " built (" + reason + "); it starts without it");
      }

      @Override
      public void execFailed(String sandboxId, String executionId, SandboxException e) {
        LOG.log(System.Logger.Level.WARNING, "execution " + executionId + " failed (" + e.phase() + "): "
            + e.getMessage() + (e.detail().isBlank() ? "" : " [" + e.detail().strip() + "]"));
      }

      @Override
      public void execEnd(String sandboxId, String executionId, ExecutionResult r) {
        LOG.log(System.Logger.Level.INFO, "execution " + executionId + " ended: exit " + r.exitCode() + ", "
            + r.failurePhase() + (r.errorMessage().isBlank() ? "" : ": " + r.errorMessage()));
      }

      @Override
      public void teardownStart(String sandboxId) {
        LOG.log(System.Logger.Level.INFO, "tearing sandbox " + sandboxId + " down"
            + (closing.get() ? "" : " (it closed by itself)"));
      }

      @Override
      public void teardownEnd(String sandboxId) {
        closedByItself.run();
      }

      @Override
      public void teardownFailed(String sandboxId, SandboxException e) {
        failed.set(e.getMessage() + (e.detail().isBlank() ? "" : ": " + e.detail().strip()));
        closedByItself.run();
      }
    };
    Sandbox sb = Sandbox.builder(driver).policy(policy(record)).listener(listener).start();
    self.set(sb);
    return new SessionSandbox() {
      @Override
      public Running start(Wire.ExecRequest r, InputStream in, OutputStream out, OutputStream err)
          throws SandboxException, Busy {
        Command command = r.shell().isPresent() ? Command.shell(r.shell().get()) : Command.argv(r.argv());
        ExecutionRequest.Builder b = ExecutionRequest.builder(command)
            .environment(r.env())
            .workingDirectory(r.cwd())
            .stdin(in)
            .stdout(out)
            .stderr(err);
        if (r.timeoutMs() > 0) {
          b.timeout(Duration.ofMillis(Math.min(r.timeoutMs(), ExecutionRequest.MAX_TIMEOUT.toMillis())));
        }
        Execution e;
        try {
          e = sb.start(b.build());
        } catch (SandboxBusyException busy) {
          throw new Busy();
        }
        return new Running() {
          @Override
          public CompletableFuture<ExecutionResult> result() {
            return e.result();
          }

          @Override
          public void cancel() {
            e.cancel();
          }
        };
      }

      @Override
      public boolean isOpen() {
        return sb.isOpen();
      }

      @Override
      public Optional<String> close() {
        closing.set(true);
        sb.close();
        return Optional.ofNullable(failed.get());
      }
    };
  }

  /** A closed sandbox refuses every execution with the reason it closed: that goes to the log. */
  private static void logWhyClosed(Sandbox sb) {
    if (sb == null) {
      return;
    }
    try {
      sb.start(ExecutionRequest.builder("true").build()).cancel();
    } catch (SandboxClosedException e) {
      LOG.log(System.Logger.Level.WARNING, "the sandbox closed by itself (" + e.reason() + "): " + e.getMessage()
          + (e.detail().isBlank() ? "" : " [" + e.detail().strip().replace("\n", " | ") + "]"));
    } catch (SandboxException e) {
      LOG.log(System.Logger.Level.WARNING, "the sandbox closed by itself: " + e.getMessage());
    }
  }

  /** The record's policy as the library's. */
  static SandboxPolicy policy(SessionRecord r) {
    return SandboxPolicy.builder()
        .readWrite(paths(r.readWrite()))
        .readOnly(paths(r.readOnly()))
        .deny(paths(r.deny()))
        .network("allow".equals(r.network()) ? NetworkAccess.ALLOW : NetworkAccess.BLOCK)
        .limits(r.limits())
        .build();
  }

  private static Path[] paths(List<String> in) {
    return in.stream().map(Path::of).toArray(Path[]::new);
  }
}
