package dev.sandboxkit.lifecycle.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The end of a log file (a sandbox's, a training's), for an error's detail. */
public final class LogTail {
  private LogTail() {}

  /** The last {@code bytes} bytes of {@code file} as stripped UTF-8 text. */
  public static String read(Path file, int bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - bytes);
      byte[] b = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8).strip();
    }
  }
}
