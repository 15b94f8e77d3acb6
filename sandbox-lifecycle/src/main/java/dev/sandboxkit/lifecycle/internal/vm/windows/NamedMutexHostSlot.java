package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Windows Sandbox host slot: the named mutex {@code Local\wxc-wsb-vm}, the same name mxc uses,
 * so sandboxkit and mxc never run two VMs at once (§1.1).
 *
 * <p>A Win32 mutex belongs to a thread and is recursive for it, so each lease gets a dedicated
 * thread that creates, waits on, holds, releases and closes the mutex (W1). A fresh thread per lease
 * also means two leases in one JVM contend like two processes. If the JVM dies, the thread dies with
 * it, the mutex is abandoned, and the next waiter gets {@code WAIT_ABANDONED}, which counts as
 * acquired. Busy ({@code WAIT_TIMEOUT}) is an empty result; a real failure ({@code CreateMutexW}
 * failure, {@code WAIT_FAILED}) is an exception (W2).
 */
final class NamedMutexHostSlot implements HostSlot {
  /** mxc's host VM-slot mutex. */
  static final String NAME = "Local\\wxc-wsb-vm";
  /** The one-shot wait (§1.1 table). */
  static final Duration ONE_SHOT_WAIT = Duration.ofSeconds(5);
  /** How long past the wait the caller waits for the owner thread's answer. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(NamedMutexHostSlot.class.getName());

  private final Win32Mutex api;
  private final String name;
  private final Duration answerMargin;

  NamedMutexHostSlot(Win32Mutex api) {
    this(api, NAME, ANSWER_MARGIN);
  }

  NamedMutexHostSlot(Win32Mutex api, String name, Duration answerMargin) {
    this.api = api;
    this.name = name;
    this.answerMargin = answerMargin;
  }

  /** The message for a busy slot (the runner's Busy detail). */
  static String busyMessage(Duration wait) {
    return "another Windows Sandbox owner holds the host slot (named mutex " + NAME + ", waited "
        + wait.toMillis() + " ms): a sandboxkit or mxc run, or a daemon, is using the one Windows Sandbox"
        + " this host allows; wait for it to finish (or close it) and retry";
  }

  @Override
  public Optional<Lease> tryAcquire(Duration wait) throws IOException {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    CountDownLatch releaseSignal = new CountDownLatch(1);
    Thread owner = new Thread(() -> own(wait, answer, releaseSignal), "sandboxkit-wsb-slot");
    owner.setDaemon(true);
    owner.start();
    Answer a;
    long answerWait = Integer.toUnsignedLong(MutexWait.timeoutMillis(wait)) + answerMargin.toMillis();
    try {
      a = answer.get(answerWait, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (answer.complete(Answer.CALLER_GAVE_UP)) {
        throw new IOException("the named mutex " + name + " gave no answer within " + answerWait + " ms; retry");
      }
      a = answer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (answer.complete(Answer.CALLER_GAVE_UP)) {
        throw new InterruptedIOException("interrupted while waiting for the named mutex " + name);
      }
      a = answer.join();
    } catch (ExecutionException e) {
      throw new IOException("the named mutex owner thread failed: " + e.getCause(), e.getCause());
    }
    if (a.failure != null) {
      throw a.failure;
    }
    if (!a.acquired) {
      return Optional.empty();
    }
    return Optional.of(new MutexLease(releaseSignal, owner));
  }

  /** The owner thread: every call on the handle happens here; busy and failure close before answering. */
  private void own(Duration wait, CompletableFuture<Answer> answer, CountDownLatch releaseSignal) {
    long handle;
    try {
      handle = api.create(name);
    } catch (Win32Exception e) {
      answer.complete(Answer.failed(e));
      return;
    } catch (RuntimeException | Error e) {
      answer.complete(Answer.failed(new IOException("could not create the named mutex " + name + ": " + e, e)));
      return;
    }
    Answer result;
    try {
      result = waitOn(handle, wait);
    } catch (RuntimeException | Error e) {
      result = Answer.failed(new IOException("the named mutex " + name + " failed: " + e, e));
    }
    if (result != Answer.ACQUIRED) {
      api.close(handle);
      answer.complete(result);
      return;
    }
    try {
      if (answer.complete(Answer.ACQUIRED)) {
        awaitUninterruptibly(releaseSignal);
      }
      if (!api.release(handle)) {
        LOG.log(System.Logger.Level.WARNING, "ReleaseMutex({0}) failed with Win32 error {1}; closing the"
            + " handle abandons it", name, api.lastError());
      }
    } finally {
      api.close(handle);
    }
  }

  private Answer waitOn(long handle, Duration wait) {
    int code = api.waitFor(handle, MutexWait.timeoutMillis(wait));
    MutexWait result = MutexWait.of(code);
    if (result == MutexWait.FAILED) {
      int error = api.lastError();
      return Answer.failed(new Win32Exception("WaitForSingleObject", error,
          "could not wait on the named mutex " + name + " (wait result 0x" + Integer.toHexString(code) + ")"));
    }
    if (result == MutexWait.BUSY) {
      return Answer.BUSY;
    }
    if (result == MutexWait.ACQUIRED_ABANDONED) {
      LOG.log(System.Logger.Level.INFO, "acquired {0} abandoned by a previous owner that died;"
          + " leftovers are reconciled from markers", name);
    }
    return Answer.ACQUIRED;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the owner thread reports. */
  private static final class Answer {
    static final Answer ACQUIRED = new Answer(true, null);
    static final Answer BUSY = new Answer(false, null);
    static final Answer CALLER_GAVE_UP = new Answer(false, null);

    final boolean acquired;
    final IOException failure;

    private Answer(boolean acquired, IOException failure) {
      this.acquired = acquired;
      this.failure = failure;
    }

    static Answer failed(IOException e) {
      return new Answer(false, e);
    }
  }

  /** Releases on the owner thread and waits (bounded) for it to finish. */
  private static final class MutexLease implements Lease {
    private final CountDownLatch releaseSignal;
    private final Thread owner;
    private final AtomicBoolean closed = new AtomicBoolean();

    MutexLease(CountDownLatch releaseSignal, Thread owner) {
      this.releaseSignal = releaseSignal;
      this.owner = owner;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      releaseSignal.countDown();
      try {
        owner.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
