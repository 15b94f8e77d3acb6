package dev.sandboxkit.guest.job;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Windows: {@code cmd.exe /C <script_code>} started with {@code CreateProcessW} and the exact command
 * line of {@link WindowsCommandLine}, suspended, put into a kill-on-close job object, then resumed,
 * so nothing it starts can outlive the job.
 *
 * <p>The child inherits exactly its three pipe ends ({@code PROC_THREAD_ATTRIBUTE_HANDLE_LIST}
 * through {@code STARTUPINFOEXW}), not every inheritable handle of the agent (such as its own
 * stdout and stderr, i.e. {@code bootstrap.log}). A JNA that cannot load (an {@link Error}, e.g. no
 * native stub for this CPU) refuses the job with a message instead of escaping the executor.
 */
final class WindowsJobLauncher implements JobLauncher {
  /** The two libraries, loaded on first use (loading fails with an Error off Windows). */
  record Apis(Kernel32 k, WinJobApi jobs) {
    static Apis load() {
      return new Apis(Kernel32.INSTANCE, WinJobApi.load());
    }
  }

  private final Supplier<Apis> apis;
  private final JobLimits limits;

  WindowsJobLauncher() {
    this(Apis::load, JobLimits.NONE);
  }

  WindowsJobLauncher(Supplier<Apis> apis, JobLimits limits) {
    this.apis = apis;
    this.limits = limits;
  }

  /**
   * The launcher with the limits given to the agent ({@link JobLimits#fromProperties}); when they
   * are malformed every job is refused with the reason (fail closed: never a job without its limits).
   */
  static JobLauncher withLimits(java.util.function.Function<String, String> properties) {
    try {
      return new WindowsJobLauncher(Apis::load, JobLimits.fromProperties(properties));
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage();
      return new JobLauncher() {
        @Override
        public JobProcess start(String scriptCode, Path workingDirectory, Map<String, String> environment)
            throws IOException {
          throw new IOException("refusing the job: " + reason);
        }

        @Override
        public boolean appliesEnvironment() {
          return true;
        }
      };
    }
  }

  JobLimits limits() {
    return limits;
  }

  @Override
  public JobProcess start(String scriptCode, Path workingDirectory, Map<String, String> environment)
      throws IOException {
    // The agent's environment overlaid by the job's, names compared as Windows does (Path = PATH).
    return startWith(scriptCode, workingDirectory,
        environment.isEmpty() ? null : EnvironmentBlock.overlay(System.getenv(), environment));
  }

  @Override
  public boolean appliesEnvironment() {
    return true;
  }

  /**
   * @param environment the job's whole environment, or null to inherit the agent's
   */
  JobProcess startWith(String scriptCode, Path workingDirectory, Map<String, String> environment)
      throws IOException {
    String line;
    byte[] envBlock;
    try {
      line = WindowsCommandLine.build(scriptCode);
      envBlock = environment == null ? null : EnvironmentBlock.encode(environment);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      return create(apis.get(), line, workingDirectory, envBlock);
    } catch (LinkageError e) {
      throw new IOException(jnaUnavailable(e), e);
    }
  }

  /** The refusal text for a JNA that cannot load or link. */
  static String jnaUnavailable(Throwable e) {
    return "the Windows API is not available through JNA on this machine (" + System.getProperty("os.name")
        + ", " + System.getProperty("os.arch") + "): " + e
        + "; the guest jar must carry JNA's native library for this platform";
  }

  private JobProcess create(Apis a, String line, Path workingDirectory, byte[] envBlock) throws IOException {
    Kernel32 k = a.k();
    WinJobApi jobs = a.jobs();
    char[] dir = new char[260];
    int n = jobs.GetSystemDirectoryW(dir, dir.length);
    if (n <= 0 || n >= dir.length) {
      throw new IOException("GetSystemDirectoryW failed (error " + k.GetLastError() + ")");
    }
    String cmdExe = WindowsCommandLine.cmdExePath(new String(dir, 0, n));

    WinBase.SECURITY_ATTRIBUTES inherit = new WinBase.SECURITY_ATTRIBUTES();
    inherit.bInheritHandle = true;
    Handles h = new Handles(k);
    try {
      WinNT.HANDLE[] in = h.pipe(inherit, false);
      WinNT.HANDLE[] out = h.pipe(inherit, true);
      WinNT.HANDLE[] err = h.pipe(inherit, true);

      WinNT.HANDLE job = h.add(jobs.CreateJobObjectW(null, null), "CreateJobObjectW");
      WinJobApi.ExtendedLimits info = WinJobApi.ExtendedLimits.of(limits);
      info.write();
      if (!jobs.SetInformationJobObject(job, WinJobApi.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, info,
          info.size())) {
        throw new IOException("SetInformationJobObject(kill on close) failed (error " + k.GetLastError() + ")");
      }

      WinBase.PROCESS_INFORMATION pi = new WinBase.PROCESS_INFORMATION();
      createSuspended(k, jobs, cmdExe, line, workingDirectory, envBlock,
          new WinNT.HANDLE[] {in[0], out[1], err[1]}, pi);
      // The child's ends belong to the child now.
      h.close(in[0]);
      h.close(out[1]);
      h.close(err[1]);
      if (!jobs.AssignProcessToJobObject(job, pi.hProcess)) {
        int e = k.GetLastError();
        k.TerminateProcess(pi.hProcess, 1);
        k.CloseHandle(pi.hThread);
        k.CloseHandle(pi.hProcess);
        throw new IOException("AssignProcessToJobObject failed (error " + e + ")");
      }
      int resumed = jobs.ResumeThread(pi.hThread);
      k.CloseHandle(pi.hThread);
      if (resumed == -1) {
        int e = k.GetLastError();
        k.TerminateProcess(pi.hProcess, 1);
        k.CloseHandle(pi.hProcess);
        throw new IOException("ResumeThread failed (error " + e + ")");
      }
      WindowsJob started = new WindowsJob(k, jobs, job, pi.hProcess, pi.dwProcessId.longValue(),
          in[1], out[0], err[0]);
      h.release();
      return started;
    } finally {
      h.closeAll();
    }
  }

  /** CreateProcessW, suspended, inheriting exactly {@code inherited} through a handle list. */
  private static void createSuspended(Kernel32 k, WinJobApi jobs, String cmdExe, String line, Path cwd,
      byte[] envBlock, WinNT.HANDLE[] inherited, WinBase.PROCESS_INFORMATION pi) throws IOException {
    BaseTSD.ULONG_PTRByReference size = new BaseTSD.ULONG_PTRByReference(); // a SIZE_T*
    if (jobs.InitializeProcThreadAttributeList(null, 1, 0, size)
        || k.GetLastError() != WinJobApi.ERROR_INSUFFICIENT_BUFFER) {
      throw new IOException("InitializeProcThreadAttributeList(size) failed (error " + k.GetLastError() + ")");
    }
    Memory list = new Memory(size.getValue().longValue());
    if (!jobs.InitializeProcThreadAttributeList(list, 1, 0, size)) {
      throw new IOException("InitializeProcThreadAttributeList failed (error " + k.GetLastError() + ")");
    }
    try {
      Memory handles = new Memory((long) inherited.length * Native.POINTER_SIZE);
      for (int i = 0; i < inherited.length; i++) {
        handles.setPointer((long) i * Native.POINTER_SIZE, inherited[i].getPointer());
      }
      if (!jobs.UpdateProcThreadAttribute(list, 0, new BaseTSD.ULONG_PTR(WinJobApi.PROC_THREAD_ATTRIBUTE_HANDLE_LIST),
          handles, new BaseTSD.SIZE_T(handles.size()), null, null)) {
        throw new IOException("UpdateProcThreadAttribute(handle list) failed (error " + k.GetLastError() + ")");
      }
      WinJobApi.StartupInfoEx si = new WinJobApi.StartupInfoEx();
      si.StartupInfo.dwFlags = WinJobApi.STARTF_USESTDHANDLES;
      si.StartupInfo.hStdInput = inherited[0];
      si.StartupInfo.hStdOutput = inherited[1];
      si.StartupInfo.hStdError = inherited[2];
      si.lpAttributeList = list;
      Pointer env = null;
      if (envBlock != null) {
        Memory m = new Memory(envBlock.length);
        m.write(0, envBlock, 0, envBlock.length);
        env = m;
      }
      int flags = WinJobApi.CREATE_SUSPENDED | WinJobApi.CREATE_NO_WINDOW | WinJobApi.CREATE_UNICODE_ENVIRONMENT
          | WinJobApi.EXTENDED_STARTUPINFO_PRESENT;
      if (!jobs.CreateProcessW(cmdExe, WindowsCommandLine.toBuffer(line), null, null, true, flags, env,
          cwd == null ? null : cwd.toString(), si, pi)) {
        throw new IOException("CreateProcessW(cmd.exe) failed (error " + k.GetLastError() + ")");
      }
    } finally {
      jobs.DeleteProcThreadAttributeList(list);
    }
  }

  /** The handles of one start: every one is closed unless handed to the job ({@link #release()}). */
  private static final class Handles {
    private final Kernel32 k;
    private final java.util.List<WinNT.HANDLE> open = new java.util.ArrayList<>();

    Handles(Kernel32 k) {
      this.k = k;
    }

    WinNT.HANDLE add(WinNT.HANDLE handle, String call) throws IOException {
      if (handle == null) {
        throw new IOException(call + " failed (error " + k.GetLastError() + ")");
      }
      open.add(handle);
      return handle;
    }

    /** A pipe whose parent end (read end when {@code parentReads}) is made non-inheritable. */
    WinNT.HANDLE[] pipe(WinBase.SECURITY_ATTRIBUTES sa, boolean parentReads) throws IOException {
      WinNT.HANDLEByReference read = new WinNT.HANDLEByReference();
      WinNT.HANDLEByReference write = new WinNT.HANDLEByReference();
      if (!k.CreatePipe(read, write, sa, 0)) {
        throw new IOException("CreatePipe failed (error " + k.GetLastError() + ")");
      }
      open.add(read.getValue());
      open.add(write.getValue());
      WinNT.HANDLE parentEnd = parentReads ? read.getValue() : write.getValue();
      if (!k.SetHandleInformation(parentEnd, WinJobApi.HANDLE_FLAG_INHERIT, 0)) {
        throw new IOException("SetHandleInformation(not inheritable) failed (error " + k.GetLastError() + ")");
      }
      return new WinNT.HANDLE[] {read.getValue(), write.getValue()};
    }

    void close(WinNT.HANDLE handle) {
      if (open.remove(handle)) {
        k.CloseHandle(handle);
      }
    }

    void release() {
      open.clear();
    }

    void closeAll() {
      for (WinNT.HANDLE handle : open) {
        k.CloseHandle(handle);
      }
      open.clear();
    }
  }
}
