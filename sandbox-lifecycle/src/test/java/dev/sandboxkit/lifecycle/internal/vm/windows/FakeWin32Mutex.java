package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Named mutexes with Win32 semantics: owned by a thread, recursive for it, released only by it,
 * abandoned when the owning thread dies. Records the thread of every call on every handle.
 */
final class FakeWin32Mutex implements Win32Mutex {
  static final int ERROR_NOT_OWNER = 288;

  private static final class Mutex {
    Thread owner;
    int count;
  }

  private final Map<String, Mutex> mutexes = new HashMap<>();
  private final Map<Long, String> handles = new HashMap<>();
  private long nextHandle = 0x100;
  private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);

  /** Every call: "op handle thread". */
  final List<String> calls = new ArrayList<>();
  final List<Integer> timeouts = new ArrayList<>();
  final List<Long> closed = new ArrayList<>();
  Win32Exception createFailure;
  /** When non-null, waitFor returns this instead of the modelled result (with lastError = forcedError). */
  Integer forcedWaitResult;
  int forcedError;

  @Override
  public synchronized long create(String name) throws Win32Exception {
    record("create", 0);
    if (createFailure != null) {
      throw createFailure;
    }
    mutexes.computeIfAbsent(name, n -> new Mutex());
    long h = nextHandle++;
    handles.put(h, name);
    return h;
  }

  @Override
  public synchronized int waitFor(long handle, int timeoutMillis) {
    record("wait", handle);
    timeouts.add(timeoutMillis);
    if (forcedWaitResult != null) {
      lastError.set(forcedError);
      return forcedWaitResult;
    }
    Mutex m = mutexes.get(handles.get(handle));
    long deadline = System.nanoTime() + Integer.toUnsignedLong(timeoutMillis) * 1_000_000L;
    Thread me = Thread.currentThread();
    while (true) {
      if (m.owner == null) {
        m.owner = me;
        m.count = 1;
        return Win32.WAIT_OBJECT_0;
      }
      if (m.owner == me) {
        m.count++;
        return Win32.WAIT_OBJECT_0;
      }
      if (!m.owner.isAlive()) {
        m.owner = me;
        m.count = 1;
        return Win32.WAIT_ABANDONED;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Win32.WAIT_TIMEOUT;
      }
      try {
        wait(Math.max(1, Math.min(10, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lastError.set(1);
        return Win32.WAIT_FAILED;
      }
    }
  }

  @Override
  public int lastError() {
    return lastError.get();
  }

  @Override
  public synchronized boolean release(long handle) {
    record("release", handle);
    Mutex m = mutexes.get(handles.get(handle));
    if (m.owner != Thread.currentThread()) {
      lastError.set(ERROR_NOT_OWNER);
      return false;
    }
    if (--m.count == 0) {
      m.owner = null;
      notifyAll();
    }
    return true;
  }

  @Override
  public synchronized void close(long handle) {
    record("close", handle);
    closed.add(handle);
    handles.remove(handle);
  }

  synchronized Thread owner(String name) {
    Mutex m = mutexes.get(name);
    return m == null ? null : m.owner;
  }

  synchronized List<String> callsSnapshot() {
    return new ArrayList<>(calls);
  }

  private void record(String op, long handle) {
    calls.add(op + " " + handle + " " + Thread.currentThread().getName() + "#" + Thread.currentThread().getId());
  }
}
