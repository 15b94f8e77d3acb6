package dev.sandboxkit.guest.job;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinNT;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Windows: {@code cmd.exe /C <script_code>} started with {@code CreateProcessW} and the exact command
 * line of {@link WindowsCommandLine}, suspended, put into a job object with kill-on-close, then
 * resumed, so nothing it starts can outlive the job.
 */
final class WindowsJobLauncher implements JobLauncher {
  @Override
  public JobProcess start(String scriptCode, Path workingDirectory, Map<String, String> environment)
      throws IOException {
    if (!environment.isEmpty()) {
      // appliesEnvironment() is false: the agent does not announce "env" here, so a host sends none.
      throw new IOException("this agent does not apply environment variables on Windows yet");
    }
    String line;
    try {
      line = WindowsCommandLine.build(scriptCode);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    Kernel32 k = Kernel32.INSTANCE;
    WinJobApi jobs = WinJobApi.load();
    char[] dir = new char[260];
    int n = jobs.GetSystemDirectoryW(dir, dir.length);
    if (n <= 0 || n >= dir.length) {
      throw new IOException("GetSystemDirectoryW failed (error " + k.GetLastError() + ")");
    }
    String cmdExe = WindowsCommandLine.cmdExePath(new String(dir, 0, n));

    WinBase.SECURITY_ATTRIBUTES inherit = new WinBase.SECURITY_ATTRIBUTES();
    inherit.bInheritHandle = true;
    WinNT.HANDLE[] in = pipe(k, inherit, false);
    WinNT.HANDLE[] out = pipe(k, inherit, true);
    WinNT.HANDLE[] err = pipe(k, inherit, true);

    WinNT.HANDLE job = jobs.CreateJobObjectW(null, null);
    if (job == null) {
      throw new IOException("CreateJobObjectW failed (error " + k.GetLastError() + ")");
    }
    WinJobApi.ExtendedLimits limits = WinJobApi.ExtendedLimits.killOnClose();
    limits.write();
    if (!jobs.SetInformationJobObject(
        job, WinJobApi.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, limits, limits.size())) {
      int e = k.GetLastError();
      k.CloseHandle(job);
      throw new IOException("SetInformationJobObject(kill on close) failed (error " + e + ")");
    }

    WinBase.STARTUPINFO si = new WinBase.STARTUPINFO();
    si.dwFlags = WinJobApi.STARTF_USESTDHANDLES;
    si.hStdInput = in[0];
    si.hStdOutput = out[1];
    si.hStdError = err[1];
    WinBase.PROCESS_INFORMATION pi = new WinBase.PROCESS_INFORMATION();
    int flags =
        WinJobApi.CREATE_SUSPENDED | WinJobApi.CREATE_NO_WINDOW | WinJobApi.CREATE_UNICODE_ENVIRONMENT;
    boolean ok =
        k.CreateProcessW(
            cmdExe,
            WindowsCommandLine.toBuffer(line),
            null,
            null,
            true,
            new WinDef.DWORD(flags),
            null,
            workingDirectory == null ? null : workingDirectory.toString(),
            si,
            pi);
    int createError = ok ? 0 : k.GetLastError();
    // The child's ends belong to the child now (or to nobody on failure).
    k.CloseHandle(in[0]);
    k.CloseHandle(out[1]);
    k.CloseHandle(err[1]);
    if (!ok) {
      k.CloseHandle(in[1]);
      k.CloseHandle(out[0]);
      k.CloseHandle(err[0]);
      k.CloseHandle(job);
      throw new IOException("CreateProcessW(cmd.exe) failed (error " + createError + ")");
    }
    if (!jobs.AssignProcessToJobObject(job, pi.hProcess)) {
      int e = k.GetLastError();
      k.TerminateProcess(pi.hProcess, 1);
      k.CloseHandle(pi.hThread);
      k.CloseHandle(pi.hProcess);
      k.CloseHandle(in[1]);
      k.CloseHandle(out[0]);
      k.CloseHandle(err[0]);
      k.CloseHandle(job);
      throw new IOException("AssignProcessToJobObject failed (error " + e + ")");
    }
    jobs.ResumeThread(pi.hThread);
    k.CloseHandle(pi.hThread);
    return new WindowsJob(
        k, jobs, job, pi.hProcess, pi.dwProcessId.longValue(), in[1], out[0], err[0]);
  }

  /** A pipe whose parent end (read end when {@code parentReads}) is not inherited. */
  private static WinNT.HANDLE[] pipe(Kernel32 k, WinBase.SECURITY_ATTRIBUTES sa, boolean parentReads)
      throws IOException {
    WinNT.HANDLEByReference read = new WinNT.HANDLEByReference();
    WinNT.HANDLEByReference write = new WinNT.HANDLEByReference();
    if (!k.CreatePipe(read, write, sa, 0)) {
      throw new IOException("CreatePipe failed (error " + k.GetLastError() + ")");
    }
    WinNT.HANDLE parentEnd = parentReads ? read.getValue() : write.getValue();
    k.SetHandleInformation(parentEnd, WinJobApi.HANDLE_FLAG_INHERIT, 0);
    return new WinNT.HANDLE[] {read.getValue(), write.getValue()};
  }
}
