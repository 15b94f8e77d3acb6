package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.platform.win32.WinBase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The guest's job-object mappings against Windows' own headers (mingw-w64), see {@link HeaderCheck}. */
@Timeout(180)
class WindowsHeaderCheckTest {

  static HeaderCheck guestMappings() {
    return new HeaderCheck()
        .struct("JOBOBJECT_BASIC_LIMIT_INFORMATION", new WinJobApi.BasicLimits())
        .struct("IO_COUNTERS", new WinJobApi.IoCounters())
        .struct("JOBOBJECT_EXTENDED_LIMIT_INFORMATION", new WinJobApi.ExtendedLimits())
        .struct("JOBOBJECT_BASIC_ACCOUNTING_INFORMATION", new WinJobApi.BasicAccounting())
        .struct("STARTUPINFOEXW", new WinJobApi.StartupInfoEx())
        .struct("STARTUPINFOW", new WinBase.STARTUPINFO())
        .struct("SECURITY_ATTRIBUTES", new WinBase.SECURITY_ATTRIBUTES(), java.util.Map.of("dwLength", "nLength"))
        .struct("PROCESS_INFORMATION", new WinBase.PROCESS_INFORMATION())
        .constant("JOB_OBJECT_LIMIT_ACTIVE_PROCESS", WinJobApi.JOB_OBJECT_LIMIT_ACTIVE_PROCESS)
        .constant("JOB_OBJECT_LIMIT_JOB_MEMORY", WinJobApi.JOB_OBJECT_LIMIT_JOB_MEMORY)
        .constant("JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION", WinJobApi.JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION)
        .constant("JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE", WinJobApi.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)
        .constant("JobObjectBasicAccountingInformation", WinJobApi.JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION_CLASS)
        .constant("JobObjectExtendedLimitInformation", WinJobApi.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS)
        .constant("CREATE_SUSPENDED", WinJobApi.CREATE_SUSPENDED)
        .constant("CREATE_UNICODE_ENVIRONMENT", WinJobApi.CREATE_UNICODE_ENVIRONMENT)
        .constant("EXTENDED_STARTUPINFO_PRESENT", WinJobApi.EXTENDED_STARTUPINFO_PRESENT)
        .constant("CREATE_NO_WINDOW", WinJobApi.CREATE_NO_WINDOW)
        .constant("STARTF_USESTDHANDLES", WinJobApi.STARTF_USESTDHANDLES)
        .constant("HANDLE_FLAG_INHERIT", WinJobApi.HANDLE_FLAG_INHERIT)
        .constant("PROC_THREAD_ATTRIBUTE_HANDLE_LIST", WinJobApi.PROC_THREAD_ATTRIBUTE_HANDLE_LIST)
        .constant("THREAD_TERMINATE", WinJobApi.THREAD_TERMINATE)
        .constant("ERROR_BROKEN_PIPE", WinJobApi.ERROR_BROKEN_PIPE)
        .constant("ERROR_INSUFFICIENT_BUFFER", WinJobApi.ERROR_INSUFFICIENT_BUFFER)
        .constant("ERROR_OPERATION_ABORTED", WinJobApi.ERROR_OPERATION_ABORTED)
        .constant("ERROR_NOT_FOUND", WinJobApi.ERROR_NOT_FOUND)
        .constant("WAIT_OBJECT_0", WinJobApi.WAIT_OBJECT_0)
        .constant("WAIT_TIMEOUT", WinJobApi.WAIT_TIMEOUT);
  }

  @Test
  void jobObjectStructuresAndConstantsMatchTheWindowsHeaders(@TempDir Path dir) throws Exception {
    HeaderCheck check = guestMappings();
    assertTrue(check.checks() > 60, "checks: " + check.checks());
    check.compile(dir);
  }

  /** The check can fail: a wrong constant or a wrong size is a compile error naming it. */
  @Test
  void aMismatchFailsTheCheck(@TempDir Path dir) throws Exception {
    HeaderCheck wrong = new HeaderCheck().constant("CREATE_SUSPENDED", 0x8);
    AssertionError e = assertThrows(AssertionError.class, () -> wrong.compile(dir));
    assertTrue(e.getMessage().contains("CREATE_SUSPENDED == 8"), e.getMessage());
    HeaderCheck wrongSize = new HeaderCheck().struct("IO_COUNTERS", new WinJobApi.BasicLimits());
    e = assertThrows(AssertionError.class, () -> wrongSize.compile(dir));
    assertTrue(e.getMessage().contains("IO_COUNTERS size 64"), e.getMessage());
  }
}
