package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Tlhelp32;
import com.sun.jna.platform.win32.WinBase.FILETIME;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.win32.StdCallLibrary;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What can be checked of the JNA mappings without Windows: layouts, signatures, constants. */
class JnaMappingTest {

  @Test
  void processEntry32wIs568BytesOnX64WithTheWindowsOffsets() {
    assumeTrue(Native.POINTER_SIZE == 8, "64-bit JVM");
    ProcessEntry32W e = new ProcessEntry32W();
    assertEquals(568, e.size());
    assertEquals(568, e.dwSize, "dwSize is preset, as Process32FirstW requires");
    assertEquals(0, e.offsetOf("dwSize"));
    assertEquals(8, e.offsetOf("th32ProcessID"));
    assertEquals(16, e.offsetOf("th32DefaultHeapID"), "ULONG_PTR aligned to 8");
    assertEquals(24, e.offsetOf("th32ModuleID"));
    assertEquals(32, e.offsetOf("th32ParentProcessID"));
    assertEquals(40, e.offsetOf("dwFlags"));
    assertEquals(44, e.offsetOf("szExeFile"));
  }

  @Test
  void expectedLayoutFor64And32BitPointers() {
    assertEquals(568, ProcessEntry32W.expectedSize(8));
    assertEquals(556, ProcessEntry32W.expectedSize(4));
    assertEquals(ProcessEntry32W.expectedSize(Native.POINTER_SIZE), new ProcessEntry32W().size());
  }

  @Test
  void jnaPlatformsProcessEntryMatchesOnlyWhereWcharIsTwoBytes() {
    // jna-platform sizes char[] with Native.WCHAR_SIZE (4 on Linux), which is why the driver has its own.
    assumeTrue(Native.POINTER_SIZE == 8, "64-bit JVM");
    int size = new Tlhelp32.PROCESSENTRY32().size();
    if (Native.WCHAR_SIZE == 2) {
      assertEquals(568, size);
    } else {
      assertNotEquals(568, size, "4-byte wchar_t: jna-platform's layout differs from Windows' here");
    }
  }

  @Test
  void filetimeIsTwoDwords() {
    assertEquals(8, new FILETIME().size());
  }

  @Test
  void exeFileDecodesUtf16UpToTheFirstNul() {
    ProcessEntry32W e = new ProcessEntry32W();
    byte[] name = "WindowsSandboxClient.exe".getBytes(StandardCharsets.UTF_16LE);
    System.arraycopy(name, 0, e.szExeFile, 0, name.length);
    assertEquals("WindowsSandboxClient.exe", e.exeFile());
    assertEquals("", ProcessEntry32W.decodeUtf16z(new byte[520]));
    byte[] full = new byte[4];
    full[0] = 'a';
    full[2] = 'b';
    assertEquals("ab", ProcessEntry32W.decodeUtf16z(full), "no NUL: the whole buffer");
    assertEquals("日本.exe", ProcessEntry32W.decodeUtf16z(
        Arrays.copyOf("日本.exe".getBytes(StandardCharsets.UTF_16LE), 20)));
    e.th32ProcessID = 0xFFFF_FFFE;
    assertEquals(4294967294L, e.pid(), "pid is unsigned");
  }

  @Test
  void kernel32FunctionSignatures() {
    assertTrue(StdCallLibrary.class.isAssignableFrom(Kernel32Api.class), "stdcall on 32-bit Windows");
    Map<String, String> expected = new TreeMap<>(Map.ofEntries(
        Map.entry("OpenProcess", "HANDLE(int,boolean,int)"),
        Map.entry("GetProcessTimes", "boolean(HANDLE,FILETIME,FILETIME,FILETIME,FILETIME)"),
        Map.entry("WaitForSingleObject", "int(HANDLE,int)"),
        Map.entry("TerminateProcess", "boolean(HANDLE,int)"),
        Map.entry("CloseHandle", "boolean(HANDLE)"),
        Map.entry("CreateToolhelp32Snapshot", "HANDLE(int,int)"),
        Map.entry("Process32FirstW", "boolean(HANDLE,ProcessEntry32W)"),
        Map.entry("Process32NextW", "boolean(HANDLE,ProcessEntry32W)"),
        Map.entry("CreateMutexW", "HANDLE(Pointer,boolean,WString)"),
        Map.entry("ReleaseMutex", "boolean(HANDLE)"),
        Map.entry("GetSystemDirectoryW", "int(char[],int)")));
    Map<String, String> actual = new TreeMap<>();
    for (Method m : Kernel32Api.class.getDeclaredMethods()) {
      if (m.isSynthetic() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      actual.put(m.getName(), m.getReturnType().getSimpleName() + "("
          + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",")) + ")");
    }
    assertEquals(expected, actual);
    for (Method m : Kernel32Api.class.getDeclaredMethods()) {
      for (Class<?> p : m.getParameterTypes()) {
        assertTrue(p.isPrimitive() || p == char[].class || p == HANDLE.class || p == Pointer.class
            || p == WString.class || p == FILETIME.class || p == ProcessEntry32W.class, m + ": " + p);
      }
    }
  }

  @Test
  void win32Constants() {
    assertEquals(0x1000, Win32.PROCESS_QUERY_LIMITED_INFORMATION);
    assertEquals(0x00100000, Win32.SYNCHRONIZE);
    assertEquals(1, Win32.PROCESS_TERMINATE);
    assertEquals(0, Win32.WAIT_OBJECT_0);
    assertEquals(0x80, Win32.WAIT_ABANDONED);
    assertEquals(0x102, Win32.WAIT_TIMEOUT);
    assertEquals(0xFFFFFFFF, Win32.WAIT_FAILED);
    assertEquals(-1, Win32.INFINITE);
    assertEquals(0xFFFFFFFEL, Win32.MAX_FINITE_WAIT_MS);
    assertEquals(2, Win32.TH32CS_SNAPPROCESS);
    assertEquals(18, Win32.ERROR_NO_MORE_FILES);
    assertEquals(183, Win32.ERROR_ALREADY_EXISTS);
    assertEquals(260, Win32.MAX_PATH);
    assertEquals(1, Win32.SE_FILE_OBJECT);
    assertEquals(4, Win32.DACL_SECURITY_INFORMATION);
    assertEquals(0x80000000, Win32.PROTECTED_DACL_SECURITY_INFORMATION);
    assertEquals(0x1000, Win32.SE_DACL_PROTECTED);
    assertEquals(1, Win32.KILL_EXIT_CODE);
  }

  @Test
  void constantsAgreeWithJnaPlatform() {
    assertEquals(com.sun.jna.platform.win32.WinNT.PROCESS_QUERY_LIMITED_INFORMATION,
        Win32.PROCESS_QUERY_LIMITED_INFORMATION);
    assertEquals(com.sun.jna.platform.win32.WinNT.SYNCHRONIZE, Win32.SYNCHRONIZE);
    assertEquals(com.sun.jna.platform.win32.WinNT.PROCESS_TERMINATE, Win32.PROCESS_TERMINATE);
    assertEquals(com.sun.jna.platform.win32.WinBase.WAIT_FAILED, Win32.WAIT_FAILED);
    assertEquals(com.sun.jna.platform.win32.WinError.WAIT_TIMEOUT, Win32.WAIT_TIMEOUT);
    assertEquals(com.sun.jna.platform.win32.WinNT.WAIT_ABANDONED, Win32.WAIT_ABANDONED);
    assertEquals(com.sun.jna.platform.win32.Tlhelp32.TH32CS_SNAPPROCESS.intValue(), Win32.TH32CS_SNAPPROCESS);
    assertEquals(com.sun.jna.platform.win32.WinError.ERROR_NO_MORE_FILES, Win32.ERROR_NO_MORE_FILES);
    assertEquals(com.sun.jna.platform.win32.WinNT.DACL_SECURITY_INFORMATION, Win32.DACL_SECURITY_INFORMATION);
    assertEquals(com.sun.jna.platform.win32.WinNT.PROTECTED_DACL_SECURITY_INFORMATION,
        Win32.PROTECTED_DACL_SECURITY_INFORMATION);
    assertEquals(com.sun.jna.platform.win32.WinNT.SE_DACL_PROTECTED, Win32.SE_DACL_PROTECTED);
    assertEquals(com.sun.jna.platform.win32.AccCtrl.SE_OBJECT_TYPE.SE_FILE_OBJECT, Win32.SE_FILE_OBJECT);
  }

  @Test
  void daclProtectionBits() {
    assertEquals(0x80000004, DaclProtector.protectFlags());
    assertTrue(DaclProtector.isProtected((short) 0x9004));
    assertTrue(DaclProtector.isProtected((short) 0x1000));
    assertEquals(false, DaclProtector.isProtected((short) 0x8004), "self-relative, DACL present, not protected");
  }
}
