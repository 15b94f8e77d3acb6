package dev.sandboxkit.lifecycle.internal.controlplane;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Who "the current user" is on Windows, from this process's token, never from a name: {@code
 * TokenUser} (the account) and {@code TokenOwner} (the default owner of new objects: the user, or
 * {@code BUILTIN\Administrators} in an elevated process). A bare {@code LookupAccountName(user.name)}
 * does not resolve Entra ID accounts and confuses a local and a domain account of the same name.
 *
 * @param user the token user's SID string ({@code S-1-5-21-...})
 * @param owner the token owner's SID string
 */
public record TokenSids(String user, String owner) {
  /** {@code BUILTIN\Administrators}. */
  public static final String ADMINISTRATORS = "S-1-5-32-544";

  public TokenSids {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(owner, "owner");
  }

  /**
   * Whether a path owned by {@code ownerSid} is ours (pure): owned by the token user; or, deliberately,
   * by the token owner when that is {@code BUILTIN\Administrators} (an elevated process creates its
   * files owned by Administrators, whose members can take any file anyway). Any other owner keeps an
   * implicit WRITE_DAC we cannot revoke, so it is refused.
   */
  public boolean owns(String ownerSid) {
    return ownerSid.equals(user) || (ownerSid.equals(owner) && owner.equals(ADMINISTRATORS));
  }

  private static final int TOKEN_QUERY = 0x0008;
  private static final int TOKEN_USER_CLASS = 1;
  private static final int TOKEN_OWNER_CLASS = 4;
  private static final int OWNER_SECURITY_INFORMATION = 0x1;
  private static final int SE_FILE_OBJECT = 1;

  /** This process's token (Windows only). */
  public static TokenSids ofCurrentProcess() throws IOException {
    WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
    if (!Advapi32.INSTANCE.OpenProcessToken(Kernel32.INSTANCE.GetCurrentProcess(), TOKEN_QUERY, token)) {
      throw new IOException("OpenProcessToken failed (error " + Kernel32.INSTANCE.GetLastError() + ")");
    }
    try {
      return new TokenSids(sid(token.getValue(), TOKEN_USER_CLASS), sid(token.getValue(), TOKEN_OWNER_CLASS));
    } finally {
      Kernel32.INSTANCE.CloseHandle(token.getValue());
    }
  }

  /** TOKEN_USER and TOKEN_OWNER both begin with the PSID. */
  private static String sid(WinNT.HANDLE token, int infoClass) throws IOException {
    IntByReference size = new IntByReference();
    Advapi32.INSTANCE.GetTokenInformation(token, infoClass, (com.sun.jna.Structure) null, 0, size);
    if (size.getValue() <= 0) {
      throw new IOException("GetTokenInformation(" + infoClass + ") size failed (error "
          + Kernel32.INSTANCE.GetLastError() + ")");
    }
    Memory buf = new Memory(size.getValue());
    Buffer s = new Buffer(buf);
    if (!Advapi32.INSTANCE.GetTokenInformation(token, infoClass, s, size.getValue(), size)) {
      throw new IOException("GetTokenInformation(" + infoClass + ") failed (error "
          + Kernel32.INSTANCE.GetLastError() + ")");
    }
    return Advapi32Util.convertSidToStringSid(new WinNT.PSID(buf.getPointer(0)));
  }

  /** The owner SID of {@code path} ({@code GetNamedSecurityInfoW(OWNER_SECURITY_INFORMATION)}). */
  public static String ownerOf(Path path) throws IOException {
    PointerByReference owner = new PointerByReference();
    PointerByReference sd = new PointerByReference();
    int rc = Advapi32.INSTANCE.GetNamedSecurityInfo(path.toString(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION,
        owner, null, null, null, sd);
    if (rc != 0) {
      throw new IOException("GetNamedSecurityInfoW(owner) of " + path + " failed (error " + rc + ")");
    }
    try {
      return Advapi32Util.convertSidToStringSid(new WinNT.PSID(owner.getValue()));
    } finally {
      Kernel32.INSTANCE.LocalFree(sd.getValue());
    }
  }

  /** The token user's fully qualified account name ({@code DOMAIN\name}, from its SID). */
  public String userAccountName() {
    return Advapi32Util.getAccountBySid(user).fqn;
  }

  /** A structure over a caller-allocated buffer (GetTokenInformation writes into it). */
  private static final class Buffer extends com.sun.jna.Structure {
    public Pointer first;

    Buffer(Memory m) {
      super(m);
    }

    @Override
    protected java.util.List<String> getFieldOrder() {
      return java.util.List.of("first");
    }
  }
}
