package dev.sandboxkit.guest.job;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * A job on Windows: the main process inside a kill-on-close job object, pipes as streams. The read
 * ends are {@link PipeReader}s (a blocked read is cancelled, the handle closed at end of stream);
 * {@link #killTree} terminates the job, verifies through the job's accounting that no process is
 * left, and closes the job and process handles.
 */
final class WindowsJob implements JobProcess {
  private static final long POLL_MS = 20;

  private final Kernel32 k;
  private final WinJobApi jobs;
  private final long pid;
  private final OutputStream stdin;
  private final InputStream stdout;
  private final InputStream stderr;
  private WinNT.HANDLE process;
  private WinNT.HANDLE job;
  private int exitCode = -1;

  WindowsJob(Kernel32 k, WinJobApi jobs, WinNT.HANDLE job, WinNT.HANDLE process, long pid,
      WinNT.HANDLE stdin, WinNT.HANDLE stdout, WinNT.HANDLE stderr) {
    this.k = k;
    this.jobs = jobs;
    this.job = job;
    this.process = process;
    this.pid = pid;
    this.stdin = new HandleOutputStream(k, stdin);
    this.stdout = new PipeReader(new Win32PipeIo(k, jobs, stdout));
    this.stderr = new PipeReader(new Win32PipeIo(k, jobs, stderr));
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public OutputStream stdin() {
    return stdin;
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    return stderr;
  }

  @Override
  public synchronized boolean waitFor(long millis) {
    if (process == null) {
      return true;
    }
    int ms = (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(0, millis));
    if (k.WaitForSingleObject(process, ms) != WinJobApi.WAIT_OBJECT_0) {
      return false;
    }
    IntByReference code = new IntByReference();
    if (k.GetExitCodeProcess(process, code)) {
      exitCode = code.getValue();
    }
    return true;
  }

  @Override
  public synchronized int exitCode() {
    return exitCode;
  }

  /**
   * Terminates every process in the job, waits until the job's accounting shows none active, then
   * closes the job (kill-on-close) and the process handle.
   */
  @Override
  public synchronized List<Long> killTree(Duration deadline) {
    if (job == null) {
      return List.of();
    }
    long end = System.nanoTime() + deadline.toNanos();
    jobs.TerminateJobObject(job, 1);
    waitFor(Math.max(0, deadline.toMillis()));
    int active = activeProcesses();
    while (active != 0 && System.nanoTime() - end < 0) {
      k.WaitForSingleObject(job, (int) POLL_MS);
      active = activeProcesses();
    }
    k.CloseHandle(job);
    job = null;
    k.CloseHandle(process);
    process = null;
    return active == 0 ? List.of() : List.of(pid);
  }

  /** The job's active process count now; -1 when it cannot be read or the job is closed. */
  synchronized int activeProcessCount() {
    return job == null ? -1 : activeProcesses();
  }

  /** The job's active process count; -1 when it cannot be read (counts as not verified gone). */
  private int activeProcesses() {
    WinJobApi.BasicAccounting info = new WinJobApi.BasicAccounting();
    if (!jobs.QueryInformationJobObject(job, WinJobApi.JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION_CLASS, info,
        info.size(), null)) {
      return -1;
    }
    info.read();
    return info.ActiveProcesses;
  }

  /** The real Win32 calls behind a {@link PipeReader}. */
  static final class Win32PipeIo implements PipeReader.Io {
    private final Kernel32 k;
    private final WinJobApi jobs;
    private final WinNT.HANDLE pipe;

    Win32PipeIo(Kernel32 k, WinJobApi jobs, WinNT.HANDLE pipe) {
      this.k = k;
      this.jobs = jobs;
      this.pipe = pipe;
    }

    @Override
    public int read(byte[] buffer, int length) throws IOException {
      IntByReference got = new IntByReference();
      if (!k.ReadFile(pipe, buffer, length, got, null)) {
        int e = k.GetLastError();
        if (e == WinJobApi.ERROR_BROKEN_PIPE || e == WinJobApi.ERROR_OPERATION_ABORTED) {
          return -1;
        }
        throw new IOException("ReadFile on a job pipe failed (error " + e + ")");
      }
      return got.getValue() == 0 ? -1 : got.getValue();
    }

    @Override
    public Object openCurrentThread() throws IOException {
      WinNT.HANDLE t = jobs.OpenThread(WinJobApi.THREAD_TERMINATE, false, jobs.GetCurrentThreadId());
      if (t == null) {
        throw new IOException("OpenThread(THREAD_TERMINATE) on the pipe reader failed (error "
            + k.GetLastError() + ")");
      }
      return t;
    }

    @Override
    public boolean cancel(Object thread) {
      return jobs.CancelSynchronousIo((WinNT.HANDLE) thread);
    }

    @Override
    public void closeThread(Object thread) {
      k.CloseHandle((WinNT.HANDLE) thread);
    }

    @Override
    public void closePipe() {
      k.CloseHandle(pipe);
    }
  }

  /** Writes a pipe handle. */
  private static final class HandleOutputStream extends OutputStream {
    private final Kernel32 k;
    private final WinNT.HANDLE h;
    private boolean closed;

    HandleOutputStream(Kernel32 k, WinNT.HANDLE h) {
      this.k = k;
      this.h = h;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("job stdin is closed");
      }
      int done = 0;
      while (done < len) {
        byte[] chunk = java.util.Arrays.copyOfRange(b, off + done, off + len);
        IntByReference put = new IntByReference();
        if (!k.WriteFile(h, chunk, len - done, put, null)) {
          throw new IOException("WriteFile on the job's stdin failed (error " + k.GetLastError() + ")");
        }
        done += put.getValue();
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        k.CloseHandle(h);
      }
    }
  }
}
