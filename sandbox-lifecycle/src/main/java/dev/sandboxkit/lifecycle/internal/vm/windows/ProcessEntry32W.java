package dev.sandboxkit.lifecycle.internal.vm.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;

/**
 * {@code PROCESSENTRY32W} (tlhelp32.h), 568 bytes on x64.
 *
 * <p>Not jna-platform's {@code Tlhelp32.PROCESSENTRY32}: that one declares {@code szExeFile} as
 * {@code char[]}, which JNA sizes with {@code Native.WCHAR_SIZE} (4 bytes on Linux), so its layout
 * can only be checked on Windows. Here the name is raw UTF-16LE bytes, so the layout is identical
 * on every 64-bit JVM and a Linux test pins it.
 */
@Structure.FieldOrder({
  "dwSize", "cntUsage", "th32ProcessID", "th32DefaultHeapID", "th32ModuleID", "cntThreads",
  "th32ParentProcessID", "pcPriClassBase", "dwFlags", "szExeFile"
})
public final class ProcessEntry32W extends Structure {
  public int dwSize;
  public int cntUsage;
  public int th32ProcessID;
  /** {@code ULONG_PTR}: pointer-sized. */
  public Pointer th32DefaultHeapID;
  public int th32ModuleID;
  public int cntThreads;
  public int th32ParentProcessID;
  public int pcPriClassBase;
  public int dwFlags;
  /** {@code WCHAR szExeFile[MAX_PATH]} as UTF-16LE bytes. */
  public byte[] szExeFile = new byte[Win32.MAX_PATH * 2];

  /** A fresh entry with {@code dwSize} already set, as {@code Process32FirstW} requires. */
  public ProcessEntry32W() {
    super(ALIGN_DEFAULT);
    dwSize = size();
  }

  /** The image name: UTF-16LE up to the first NUL, unpaired surrogates replaced. */
  String exeFile() {
    return decodeUtf16z(szExeFile);
  }

  /** The byte offset of {@code field} in the native layout. */
  int offsetOf(String field) {
    return fieldOffset(field);
  }

  /** The pid as an unsigned value. */
  long pid() {
    return Win32.dword(th32ProcessID);
  }

  /** Decodes a NUL-terminated UTF-16LE buffer (the whole buffer when it has no NUL). */
  static String decodeUtf16z(byte[] utf16le) {
    int end = 0;
    while (end + 1 < utf16le.length && (utf16le[end] != 0 || utf16le[end + 1] != 0)) {
      end += 2;
    }
    return new String(utf16le, 0, end, StandardCharsets.UTF_16LE);
  }

  /** The expected size of this structure for a pointer size (8 on x64, 4 on x86). */
  static int expectedSize(int pointerSize) {
    // 3 DWORDs, padding to pointer alignment, ULONG_PTR, 5 DWORDs, 520 bytes, padding to alignment.
    int offset = 12;
    offset = align(offset, pointerSize) + pointerSize;
    offset += 5 * 4 + Win32.MAX_PATH * 2;
    return align(offset, pointerSize);
  }

  private static int align(int offset, int alignment) {
    return (offset + alignment - 1) / alignment * alignment;
  }

  /** The native pointer size of this JVM (8 on x64). */
  static int pointerSize() {
    return Native.POINTER_SIZE;
  }
}
