package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The driver's Win32 structures and constants against Windows' own headers (mingw-w64), see {@link HeaderCheck}. */
@Timeout(180)
class WindowsHeaderCheckTest {

  static HeaderCheck driverMappings() {
    return new HeaderCheck()
        .struct("PROCESSENTRY32W", new ProcessEntry32W())
        .struct("FILETIME", new WinBase.FILETIME())
        .struct("SID_AND_ATTRIBUTES", new WinNT.SID_AND_ATTRIBUTES())
        .struct("TOKEN_USER", new WinNT.TOKEN_USER())
        .struct("TOKEN_OWNER", new WinNT.TOKEN_OWNER(), Map.of())
        .constant("PROCESS_QUERY_LIMITED_INFORMATION", Win32.PROCESS_QUERY_LIMITED_INFORMATION)
        .constant("SYNCHRONIZE", Win32.SYNCHRONIZE)
        .constant("PROCESS_TERMINATE", Win32.PROCESS_TERMINATE)
        .constant("WAIT_OBJECT_0", Win32.WAIT_OBJECT_0)
        .constant("WAIT_ABANDONED", Win32.WAIT_ABANDONED)
        .constant("WAIT_TIMEOUT", Win32.WAIT_TIMEOUT)
        .constant("WAIT_FAILED", Win32.WAIT_FAILED)
        .constant("INFINITE", Win32.INFINITE)
        .constant("TH32CS_SNAPPROCESS", Win32.TH32CS_SNAPPROCESS)
        .constant("ERROR_NO_MORE_FILES", Win32.ERROR_NO_MORE_FILES)
        .constant("ERROR_ALREADY_EXISTS", Win32.ERROR_ALREADY_EXISTS)
        .constant("ERROR_ACCESS_DENIED", Win32.ERROR_ACCESS_DENIED)
        .constant("MAX_PATH", Win32.MAX_PATH)
        .constant("SE_FILE_OBJECT", Win32.SE_FILE_OBJECT)
        .constant("DACL_SECURITY_INFORMATION", Win32.DACL_SECURITY_INFORMATION)
        .constant("PROTECTED_DACL_SECURITY_INFORMATION", Win32.PROTECTED_DACL_SECURITY_INFORMATION)
        .constant("SE_DACL_PROTECTED", Win32.SE_DACL_PROTECTED)
        .constant("TOKEN_QUERY", 0x0008)
        .constant("TokenUser", 1)
        .constant("TokenOwner", 4)
        .constant("OWNER_SECURITY_INFORMATION", 0x1);
  }

  @Test
  void driverStructuresAndConstantsMatchTheWindowsHeaders(@TempDir Path dir) throws Exception {
    HeaderCheck check = driverMappings();
    assertTrue(check.checks() > 30, "checks: " + check.checks());
    check.compile(dir);
  }

  @Test
  void aMismatchFailsTheCheck(@TempDir Path dir) {
    AssertionError e = assertThrows(AssertionError.class,
        () -> new HeaderCheck().constant("TH32CS_SNAPPROCESS", 0x4).compile(dir));
    assertTrue(e.getMessage().contains("TH32CS_SNAPPROCESS == 4"), e.getMessage());
  }
}
