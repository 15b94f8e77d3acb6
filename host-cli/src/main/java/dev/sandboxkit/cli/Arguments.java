package dev.sandboxkit.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments byte for byte, whatever the host's locale. The JVM decodes {@code
 * main}'s arguments with the locale's charset, replacing what it cannot decode: with {@code LANG}
 * unset (cron, {@code env -i}, CI images) {@code 'ünï 😀'} arrived as "?", and invalid UTF-8 became
 * U+FFFD even under a UTF-8 locale, so the command silently got other bytes. On Linux the exact
 * bytes are in {@code /proc/self/cmdline}; they are decoded as strict UTF-8 (the sandbox's locale
 * and the wire's encoding), and an argument that is not valid UTF-8 is refused with 125.
 */
final class Arguments {
  private static final Path CMDLINE = Path.of("/proc/self/cmdline");

  private Arguments() {}

  /** An argument that is not valid UTF-8. */
  static final class InvalidArgument extends Exception {
    private static final long serialVersionUID = 1L;
    final int index;

    InvalidArgument(int index) {
      super("argument " + (index + 1) + " is not valid UTF-8", null, false, false);
      this.index = index;
    }
  }

  /**
   * {@code args} as the bytes the process was given. Unchanged when they cannot have been altered
   * (the JVM decoded with UTF-8 and no argument holds a replacement character) or when the exact
   * bytes cannot be read.
   */
  static String[] exact(String[] args) throws InvalidArgument {
    String jnu = System.getProperty("sun.jnu.encoding", "");
    if (isUtf8(jnu) && !anyReplaced(args)) {
      return args;
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(CMDLINE);
    } catch (IOException | RuntimeException e) {
      return args; // not Linux: the JVM's decoding is all there is
    }
    return exact(args, raw, charset(jnu));
  }

  /** {@code args} from the tail of {@code cmdline} (NUL-terminated entries), checked against the JVM's decoding. */
  static String[] exact(String[] args, byte[] cmdline, Charset jvmCharset) throws InvalidArgument {
    List<byte[]> entries = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        entries.add(java.util.Arrays.copyOfRange(cmdline, start, i));
        start = i + 1;
      }
    }
    if (entries.size() < args.length) {
      return args;
    }
    List<byte[]> tail = entries.subList(entries.size() - args.length, entries.size());
    // the same arguments? (the JVM's lossy decoding of each entry must be what main got)
    for (int i = 0; i < args.length; i++) {
      if (!new String(tail.get(i), jvmCharset).equals(args[i]) && !sameShape(tail.get(i), args[i])) {
        return args; // launched some other way: keep what the JVM gave
      }
    }
    String[] out = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      try {
        out[i] = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(tail.get(i))).toString();
      } catch (CharacterCodingException e) {
        throw new InvalidArgument(i);
      }
    }
    return out;
  }

  /** Same ASCII bytes in the same places: a lossy decoding of these bytes. */
  private static boolean sameShape(byte[] raw, String decoded) {
    int j = 0;
    for (byte b : raw) {
      if (b >= 0) {
        if (j >= decoded.length() || decoded.charAt(j) != b) {
          int k = decoded.indexOf((char) b, j);
          if (k < 0) {
            return false;
          }
          j = k;
        }
        j++;
      }
    }
    return true;
  }

  private static boolean anyReplaced(String[] args) {
    for (String a : args) {
      if (a.indexOf('\uFFFD') >= 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUtf8(String name) {
    return name.equalsIgnoreCase("UTF-8") || name.equalsIgnoreCase("UTF8");
  }

  private static Charset charset(String name) {
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      return StandardCharsets.US_ASCII;
    }
  }
}
