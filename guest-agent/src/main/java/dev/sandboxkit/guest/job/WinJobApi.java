package dev.sandboxkit.guest.job;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/** The kernel32 calls for job objects that jna-platform does not map, and their structures. */
interface WinJobApi extends StdCallLibrary {
  int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;
  int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9;
  int CREATE_SUSPENDED = 0x0000_0004;
  int CREATE_UNICODE_ENVIRONMENT = 0x0000_0400;
  int CREATE_NO_WINDOW = 0x0800_0000;
  int STARTF_USESTDHANDLES = 0x0000_0100;
  int HANDLE_FLAG_INHERIT = 0x0000_0001;
  int ERROR_BROKEN_PIPE = 109;
  int WAIT_OBJECT_0 = 0;

  static WinJobApi load() {
    return Native.load("kernel32", WinJobApi.class, W32APIOptions.DEFAULT_OPTIONS);
  }

  WinNT.HANDLE CreateJobObjectW(WinBase.SECURITY_ATTRIBUTES attributes, String name);

  boolean SetInformationJobObject(WinNT.HANDLE job, int infoClass, Structure info, int length);

  boolean AssignProcessToJobObject(WinNT.HANDLE job, WinNT.HANDLE process);

  boolean TerminateJobObject(WinNT.HANDLE job, int exitCode);

  int ResumeThread(WinNT.HANDLE thread);

  int GetSystemDirectoryW(char[] buffer, int size);

  /** JOBOBJECT_BASIC_LIMIT_INFORMATION (64 bytes on x64). */
  @Structure.FieldOrder({
    "PerProcessUserTimeLimit",
    "PerJobUserTimeLimit",
    "LimitFlags",
    "MinimumWorkingSetSize",
    "MaximumWorkingSetSize",
    "ActiveProcessLimit",
    "Affinity",
    "PriorityClass",
    "SchedulingClass"
  })
  class BasicLimits extends Structure {
    public long PerProcessUserTimeLimit;
    public long PerJobUserTimeLimit;
    public int LimitFlags;
    public Pointer MinimumWorkingSetSize;
    public Pointer MaximumWorkingSetSize;
    public int ActiveProcessLimit;
    public Pointer Affinity;
    public int PriorityClass;
    public int SchedulingClass;
  }

  /** IO_COUNTERS (48 bytes). */
  @Structure.FieldOrder({
    "ReadOperationCount",
    "WriteOperationCount",
    "OtherOperationCount",
    "ReadTransferCount",
    "WriteTransferCount",
    "OtherTransferCount"
  })
  class IoCounters extends Structure {
    public long ReadOperationCount;
    public long WriteOperationCount;
    public long OtherOperationCount;
    public long ReadTransferCount;
    public long WriteTransferCount;
    public long OtherTransferCount;
  }

  /** JOBOBJECT_EXTENDED_LIMIT_INFORMATION (144 bytes on x64). */
  @Structure.FieldOrder({
    "BasicLimitInformation",
    "IoInfo",
    "ProcessMemoryLimit",
    "JobMemoryLimit",
    "PeakProcessMemoryUsed",
    "PeakJobMemoryUsed"
  })
  class ExtendedLimits extends Structure {
    public BasicLimits BasicLimitInformation = new BasicLimits();
    public IoCounters IoInfo = new IoCounters();
    public Pointer ProcessMemoryLimit;
    public Pointer JobMemoryLimit;
    public Pointer PeakProcessMemoryUsed;
    public Pointer PeakJobMemoryUsed;

    /** The limits the agent sets: every process in the job dies when the job handle closes. */
    static ExtendedLimits killOnClose() {
      ExtendedLimits l = new ExtendedLimits();
      l.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
      return l;
    }
  }
}
