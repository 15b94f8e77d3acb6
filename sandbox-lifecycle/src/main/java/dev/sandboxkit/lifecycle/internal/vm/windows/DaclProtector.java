package dev.sandboxkit.lifecycle.internal.vm.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Marks a file's DACL protected ({@code SE_DACL_PROTECTED}: no ACEs inherited from the parent, now
 * or after a later change to the parent). NIO's {@code AclFileAttributeView} writes the owner-only
 * entries but cannot set this bit, so it goes through Advapi32.
 */
interface DaclProtector {
  /** No-op protector (non-Windows file systems). */
  DaclProtector NONE = new DaclProtector() {
    @Override
    public void protect(Path path) {}

    @Override
    public boolean isProtected(Path path) {
      return false;
    }
  };

  /** Re-applies {@code path}'s current DACL with {@code PROTECTED_DACL_SECURITY_INFORMATION}. */
  void protect(Path path) throws IOException;

  /** Whether {@code path}'s security descriptor has {@code SE_DACL_PROTECTED}. */
  boolean isProtected(Path path) throws IOException;

  /** The {@code SECURITY_INFORMATION} flags that set a protected DACL. */
  static int protectFlags() {
    return Win32.DACL_SECURITY_INFORMATION | Win32.PROTECTED_DACL_SECURITY_INFORMATION;
  }

  /**
   * Reads {@code SE_DACL_PROTECTED} from the control word of a self-relative security descriptor
   * (offset 2: {@code BYTE Revision, BYTE Sbz1, WORD Control}).
   */
  static boolean isProtected(short control) {
    return (control & Win32.SE_DACL_PROTECTED) != 0;
  }

  /** The Advapi32 implementation (Windows only). */
  static DaclProtector win32() {
    return new DaclProtector() {
      @Override
      public void protect(Path path) throws IOException {
        PointerByReference dacl = new PointerByReference();
        PointerByReference sd = new PointerByReference();
        int rc = Advapi32.INSTANCE.GetNamedSecurityInfo(path.toString(), Win32.SE_FILE_OBJECT,
            Win32.DACL_SECURITY_INFORMATION, null, null, dacl, null, sd);
        if (rc != 0) {
          throw new Win32Exception("GetNamedSecurityInfoW", rc, "could not read the ACL of " + path);
        }
        try {
          rc = Advapi32.INSTANCE.SetNamedSecurityInfo(path.toString(), Win32.SE_FILE_OBJECT, protectFlags(),
              null, null, dacl.getValue(), null);
          if (rc != 0) {
            throw new Win32Exception("SetNamedSecurityInfoW", rc, "could not protect the ACL of " + path);
          }
        } finally {
          free(sd.getValue());
        }
      }

      @Override
      public boolean isProtected(Path path) throws IOException {
        PointerByReference sd = new PointerByReference();
        int rc = Advapi32.INSTANCE.GetNamedSecurityInfo(path.toString(), Win32.SE_FILE_OBJECT,
            Win32.DACL_SECURITY_INFORMATION, null, null, null, null, sd);
        if (rc != 0) {
          throw new Win32Exception("GetNamedSecurityInfoW", rc, "could not read the ACL of " + path);
        }
        try {
          return DaclProtector.isProtected(sd.getValue().getShort(2));
        } finally {
          free(sd.getValue());
        }
      }

      private void free(Pointer p) {
        if (p != null) {
          Kernel32.INSTANCE.LocalFree(p);
        }
      }
    };
  }
}
