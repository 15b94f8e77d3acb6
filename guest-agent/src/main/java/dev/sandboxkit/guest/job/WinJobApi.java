package dev.sandboxkit.guest.job;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.BaseTSD;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * The kernel32 calls for jobs that jna-platform does not map, their structures and constants. Every
 * structure's size and field offsets, and every constant, are checked against Microsoft's headers
 * as shipped by mingw-w64 ({@code WindowsHeaderCheckTest}).
 */
interface WinJobApi extends StdCallLibrary {
  int JOB_OBJECT_LIMIT_ACTIVE_PROCESS = 0x0000_0008;
  int JOB_OBJECT_LIMIT_JOB_MEMORY = 0x0000_0200;
  int JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x0000_0400;
  int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x0000_2000;
  /** {@code JOBOBJECTINFOCLASS.JobObjectBasicAccountingInformation}. */
  int JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION_CLASS = 1;
  /** {@code JOBOBJECTINFOCLASS.JobObjectExtendedLimitInformation}. */
  int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9;
  int CREATE_SUSPENDED = 0x0000_0004;
  int CREATE_UNICODE_ENVIRONMENT = 0x0000_0400;
  int EXTENDED_STARTUPINFO_PRESENT = 0x0008_0000;
  int CREATE_NO_WINDOW = 0x0800_0000;
  int STARTF_USESTDHANDLES = 0x0000_0100;
  int HANDLE_FLAG_INHERIT = 0x0000_0001;
  /** {@code ProcThreadAttributeValue(ProcThreadAttributeHandleList, FALSE, TRUE, FALSE)}. */
  int PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x0002_0002;
  int THREAD_TERMINATE = 0x0000_0001;
  int ERROR_BROKEN_PIPE = 109;
  int ERROR_INSUFFICIENT_BUFFER = 122;
  int ERROR_OPERATION_ABORTED = 995;
  int ERROR_NOT_FOUND = 1168;
  int WAIT_OBJECT_0 = 0;
  int WAIT_TIMEOUT = 0x0000_0102;

  static WinJobApi load() {
    return Native.load("kernel32", WinJobApi.class, W32APIOptions.DEFAULT_OPTIONS);
  }

  WinNT.HANDLE CreateJobObjectW(WinBase.SECURITY_ATTRIBUTES attributes, String name);

  boolean SetInformationJobObject(WinNT.HANDLE job, int infoClass, Structure info, int length);

  boolean QueryInformationJobObject(
      WinNT.HANDLE job, int infoClass, Structure info, int length, IntByReference returnLength);

  boolean AssignProcessToJobObject(WinNT.HANDLE job, WinNT.HANDLE process);

  boolean TerminateJobObject(WinNT.HANDLE job, int exitCode);

  int ResumeThread(WinNT.HANDLE thread);

  int GetSystemDirectoryW(char[] buffer, int size);

  boolean InitializeProcThreadAttributeList(
      Pointer attributeList, int attributeCount, int flags, BaseTSD.ULONG_PTRByReference size);

  boolean UpdateProcThreadAttribute(
      Pointer attributeList, int flags, BaseTSD.ULONG_PTR attribute, Pointer value, BaseTSD.SIZE_T size,
      Pointer previousValue, Pointer returnSize);

  void DeleteProcThreadAttributeList(Pointer attributeList);

  boolean CreateProcessW(
      String applicationName,
      char[] commandLine,
      WinBase.SECURITY_ATTRIBUTES processAttributes,
      WinBase.SECURITY_ATTRIBUTES threadAttributes,
      boolean inheritHandles,
      int creationFlags,
      Pointer environment,
      String currentDirectory,
      StartupInfoEx startupInfo,
      WinBase.PROCESS_INFORMATION processInformation);

  boolean CancelSynchronousIo(WinNT.HANDLE thread);

  WinNT.HANDLE OpenThread(int desiredAccess, boolean inheritHandle, int threadId);

  int GetCurrentThreadId();

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

    /** The limits of {@code limits} as the structure {@code SetInformationJobObject} takes. */
    static ExtendedLimits of(JobLimits limits) {
      ExtendedLimits l = new ExtendedLimits();
      l.BasicLimitInformation.LimitFlags = limits.limitFlags();
      l.BasicLimitInformation.ActiveProcessLimit = limits.activeProcessLimit();
      l.JobMemoryLimit = new Pointer(limits.jobMemoryBytes());
      return l;
    }
  }

  /** JOBOBJECT_BASIC_ACCOUNTING_INFORMATION (48 bytes): how many processes the job still has. */
  @Structure.FieldOrder({
    "TotalUserTime",
    "TotalKernelTime",
    "ThisPeriodTotalUserTime",
    "ThisPeriodTotalKernelTime",
    "TotalPageFaultCount",
    "TotalProcesses",
    "ActiveProcesses",
    "TotalTerminatedProcesses"
  })
  class BasicAccounting extends Structure {
    public long TotalUserTime;
    public long TotalKernelTime;
    public long ThisPeriodTotalUserTime;
    public long ThisPeriodTotalKernelTime;
    public int TotalPageFaultCount;
    public int TotalProcesses;
    public int ActiveProcesses;
    public int TotalTerminatedProcesses;
  }

  /** STARTUPINFOEXW (112 bytes on x64): STARTUPINFOW, then the attribute list pointer. */
  @Structure.FieldOrder({"StartupInfo", "lpAttributeList"})
  class StartupInfoEx extends Structure {
    public WinBase.STARTUPINFO StartupInfo = new WinBase.STARTUPINFO();
    public Pointer lpAttributeList;

    StartupInfoEx() {
      StartupInfo.cb = new com.sun.jna.platform.win32.WinDef.DWORD(size());
    }
  }
}
