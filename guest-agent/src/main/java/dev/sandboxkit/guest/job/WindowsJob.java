package dev.sandboxkit.guest.job;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** A job on Windows: the main process inside a kill-on-close job object, pipes as streams. */
final class WindowsJob implements JobProcess {
  private final Kernel32 k;
  private final WinJobApi jobs;
  private final WinNT.HANDLE process;
  private final long pid;
  private final OutputStream stdin;
  private final InputStream stdout;
  private final InputStream stderr;
  private WinNT.HANDLE job;

  WindowsJob(
      Kernel32 k,
      WinJobApi jobs,
      WinNT.HANDLE job,
      WinNT.HANDLE process,
      long pid,
      WinNT.HANDLE stdin,
      WinNT.HANDLE stdout,
      WinNT.HANDLE stderr) {
    this.k = k;
    this.jobs = jobs;
    this.job = job;
    this.process = process;
    this.pid = pid;
    this.stdin = new HandleOutputStream(k, stdin);
    this.stdout = new HandleInputStream(k, stdout);
    this.stderr = new HandleInputStream(k, stderr);
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
  public boolean waitFor(long millis) {
    int ms = (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(0, millis));
    return k.WaitForSingleObject(process, ms) == WinJobApi.WAIT_OBJECT_0;
  }

  @Override
  public int exitCode() {
    IntByReference code = new IntByReference();
    if (!k.GetExitCodeProcess(process, code)) {
      return -1;
    }
    return code.getValue();
  }

  @Override
  public synchronized List<Long> killTree(Duration deadline) {
    if (job != null) {
      jobs.TerminateJobObject(job, 1);
      k.CloseHandle(job);
      job = null;
    }
    boolean gone = waitFor(deadline.toMillis());
    return gone ? List.of() : List.of(pid);
  }

  /** Reads a pipe handle; a broken pipe is the end of the stream. */
  private static final class HandleInputStream extends InputStream {
    private final Kernel32 k;
    private final WinNT.HANDLE h;
    private boolean closed;

    HandleInputStream(Kernel32 k, WinNT.HANDLE h) {
      this.k = k;
      this.h = h;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      byte[] tmp = off == 0 ? b : new byte[len];
      IntByReference got = new IntByReference();
      if (!k.ReadFile(h, tmp, len, got, null)) {
        int e = k.GetLastError();
        if (e == WinJobApi.ERROR_BROKEN_PIPE) {
          return -1;
        }
        throw new IOException("ReadFile on a job pipe failed (error " + e + ")");
      }
      int n = got.getValue();
      if (n == 0) {
        return -1;
      }
      if (tmp != b) {
        System.arraycopy(tmp, 0, b, off, n);
      }
      return n;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        k.CloseHandle(h);
      }
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
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("job stdin is closed");
      }
      byte[] data = java.util.Arrays.copyOfRange(b, off, off + len);
      int done = 0;
      while (done < len) {
        byte[] chunk = done == 0 ? data : java.util.Arrays.copyOfRange(data, done, len);
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
