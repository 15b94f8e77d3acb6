package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The {@code .wsb} configuration text for one run (pure; golden-file tested).
 *
 * <p>Maps the guest jar's folder read-only at {@link #GUEST_DIR}, the host Java runtime read-only at
 * {@link #JAVA_DIR}, the rendezvous folder read-write at {@link #RENDEZVOUS_DIR}, and each planned
 * folder at its own path; runs the bootstrap at logon; disables vGPU, audio and video input,
 * printer and clipboard redirection; leaves networking on ({@code Default}: the guest firewall locks
 * it down to the host connection); sets {@code MemoryInMB} when given. Written as UTF-8 without a
 * declaration or BOM (XML's default encoding).
 */
final class WsbFile {
  static final String GUEST_DIR = "C:\\Sandbox-Guest";
  static final String JAVA_DIR = "C:\\Sandbox-Java";
  static final String RENDEZVOUS_DIR = "C:\\Sandbox-Rendezvous";
  static final String BOOTSTRAP = RENDEZVOUS_DIR + "\\bootstrap.cmd";
  static final String CMD = "C:\\Windows\\System32\\cmd.exe";

  /**
   * One mapped folder.
   *
   * @param hostFolder absolute host path
   * @param sandboxFolder absolute path inside the sandbox
   * @param readOnly whether the sandbox may only read it
   */
  record Folder(String hostFolder, String sandboxFolder, boolean readOnly) {
    Folder {
      Objects.requireNonNull(hostFolder, "hostFolder");
      Objects.requireNonNull(sandboxFolder, "sandboxFolder");
    }
  }

  private WsbFile() {}

  /**
   * The folder list of a run: the three built-in folders, then each mount at its own path.
   *
   * @throws IllegalArgumentException when a mount is a UNC path (it cannot exist at the same path
   *     inside), or is, contains or lies inside a built-in folder (Windows Sandbox rejects nested
   *     mapped folders)
   */
  static List<Folder> folders(String guestDir, String javaHome, String rendezvousDir, List<Folder> mounts) {
    List<Folder> all = new ArrayList<>();
    all.add(new Folder(hostPath(guestDir), GUEST_DIR, true));
    all.add(new Folder(hostPath(javaHome), JAVA_DIR, true));
    all.add(new Folder(hostPath(rendezvousDir), RENDEZVOUS_DIR, false));
    for (Folder m : mounts) {
      String host = hostPath(m.hostFolder());
      if (host.startsWith("\\\\")) {
        throw new IllegalArgumentException("mapped path \"" + host + "\" is a network (UNC) path; Windows Sandbox"
            + " maps each folder at the same path inside, which needs a drive letter. Map a local folder");
      }
      for (String builtIn : List.of(GUEST_DIR, JAVA_DIR, RENDEZVOUS_DIR)) {
        if (overlaps(host, builtIn)) {
          throw new IllegalArgumentException("mapped path \"" + host + "\" overlaps the sandbox folder "
              + builtIn + " that sandboxkit reserves for its guest; map another folder");
        }
      }
      all.add(new Folder(host, hostPath(m.sandboxFolder()), m.readOnly()));
    }
    return all;
  }

  /** The configuration text. */
  static String render(List<Folder> folders, String logonCommand, OptionalLong memoryInMb) {
    StringBuilder x = new StringBuilder();
    x.append("<Configuration>\r\n");
    x.append("  <vGPU>Disable</vGPU>\r\n");
    x.append("  <Networking>Default</Networking>\r\n");
    x.append("  <AudioInput>Disable</AudioInput>\r\n");
    x.append("  <VideoInput>Disable</VideoInput>\r\n");
    x.append("  <PrinterRedirection>Disable</PrinterRedirection>\r\n");
    x.append("  <ClipboardRedirection>Disable</ClipboardRedirection>\r\n");
    if (memoryInMb.isPresent()) {
      if (memoryInMb.getAsLong() <= 0) {
        throw new IllegalArgumentException("MemoryInMB must be positive, got " + memoryInMb.getAsLong());
      }
      x.append("  <MemoryInMB>").append(memoryInMb.getAsLong()).append("</MemoryInMB>\r\n");
    }
    x.append("  <MappedFolders>\r\n");
    for (Folder f : folders) {
      x.append("    <MappedFolder>\r\n");
      x.append("      <HostFolder>").append(XmlText.escape(f.hostFolder())).append("</HostFolder>\r\n");
      x.append("      <SandboxFolder>").append(XmlText.escape(f.sandboxFolder())).append("</SandboxFolder>\r\n");
      x.append("      <ReadOnly>").append(f.readOnly()).append("</ReadOnly>\r\n");
      x.append("    </MappedFolder>\r\n");
    }
    x.append("  </MappedFolders>\r\n");
    x.append("  <LogonCommand>\r\n");
    x.append("    <Command>").append(XmlText.escape(logonCommand)).append("</Command>\r\n");
    x.append("  </LogonCommand>\r\n");
    x.append("</Configuration>\r\n");
    return x.toString();
  }

  /**
   * The logon command: {@code cmd.exe /S /C ""<bootstrap>""} ({@code /S} strips exactly the outer
   * quotes, so the script path stays quoted whatever it contains).
   */
  static String logonCommand(String bootstrapPath) {
    CmdQuoting.requirePlain(bootstrapPath, "bootstrap path");
    return CMD + " /S /C \"\"" + bootstrapPath + "\"\"";
  }

  /** A host path as Windows Sandbox expects it: {@code \\?\C:\x} becomes {@code C:\x}, {@code \\?\UNC\s\x} becomes {@code \\s\x}. */
  static String hostPath(String path) {
    if (path.startsWith("\\\\?\\UNC\\")) {
      return "\\\\" + path.substring(8);
    }
    if (path.startsWith("\\\\?\\")) {
      return path.substring(4);
    }
    return path;
  }

  /** Component-wise, case-insensitive: {@code a} equals, contains or lies inside {@code b}. */
  static boolean overlaps(String a, String b) {
    String x = normalize(a);
    String y = normalize(b);
    return x.equals(y) || x.startsWith(y + "\\") || y.startsWith(x + "\\");
  }

  private static String normalize(String p) {
    String s = p.replace('/', '\\');
    while (s.length() > 1 && s.endsWith("\\") && !s.endsWith(":\\")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith(":\\")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }
}
