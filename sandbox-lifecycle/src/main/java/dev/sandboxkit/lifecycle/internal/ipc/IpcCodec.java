package dev.sandboxkit.lifecycle.internal.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The ipc-exec binary codec (docs/protocol.md §4), little-endian throughout.
 *
 * <ul>
 *   <li>ExecStart: {@code [u32 LE N][N bytes compact JSON]} (no kind byte);</li>
 *   <li>data/exit frames: {@code [kind u8][u32 LE L][L bytes]}, kinds 1 Stdout, 2 Stderr, 3 Exit, 4 Stdin;
 *       unknown kinds are returned, not rejected.</li>
 * </ul>
 * Lengths above {@link #MAX_PAYLOAD} (16 MiB; exactly 16 MiB is allowed) are rejected from the header
 * before any payload is read or allocated, and encoders refuse them too (fixes weakness 15). A clean
 * end of stream is only valid exactly at a frame boundary; anywhere else it is an
 * {@link IpcTruncatedException}.
 */
public final class IpcCodec {

  /** Largest payload / ExecStart JSON: 16 MiB. */
  public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

  /** Frame header: kind byte + u32 length. */
  public static final int HEADER_LENGTH = 5;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IpcCodec() {
  }

  /** {@code [u32 LE len][JSON]} for an ExecStart. */
  public static byte[] encodeExecStart(ExecStart req) throws IpcFrameTooLargeException {
    ObjectNode n = MAPPER.createObjectNode()
        .put("script_code", req.scriptCode())
        .put("working_directory", req.workingDirectory())
        .put("timeout_ms", req.timeoutMs());
    byte[] json = json(n);
    if (json.length > MAX_PAYLOAD) {
      throw new IpcFrameTooLargeException("ExecStart frame", json.length);
    }
    byte[] out = new byte[4 + json.length];
    putU32(out, 0, json.length);
    System.arraycopy(json, 0, out, 4, json.length);
    return out;
  }

  /** Reads one ExecStart (EOF anywhere is a truncation: the request is mandatory). */
  public static ExecStart readExecStart(InputStream in) throws IOException {
    byte[] header = readExactly(in, 4, "ExecStart length");
    long n = u32(header, 0);
    if (n > MAX_PAYLOAD) {
      throw new IpcFrameTooLargeException("ExecStart frame", n);
    }
    byte[] json = readExactly(in, (int) n, "ExecStart body");
    try {
      JsonNode root = MAPPER.readTree(json);
      String script = text(root, "script_code");
      String cwd = text(root, "working_directory");
      JsonNode t = root.get("timeout_ms");
      if (t == null || !t.isIntegralNumber() || !t.canConvertToLong() || t.longValue() < 0
          || t.longValue() > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("timeout_ms " + t + " is not an unsigned 32-bit integer");
      }
      return new ExecStart(script, cwd, t.longValue());
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new IpcDecodeException("decode ExecStart: " + e.getMessage(), e);
    }
  }

  /** {@code [kind][u32 LE len][payload]}. */
  public static byte[] encode(IpcFrame frame) throws IpcFrameTooLargeException {
    byte[] p = frame.payload();
    if (p.length > MAX_PAYLOAD) {
      throw new IpcFrameTooLargeException("IPC frame", p.length);
    }
    byte[] out = new byte[HEADER_LENGTH + p.length];
    out[0] = (byte) frame.rawKind();
    putU32(out, 1, p.length);
    System.arraycopy(p, 0, out, HEADER_LENGTH, p.length);
    return out;
  }

  /** Writes one frame (header and payload in one write). Does not flush. */
  public static void write(OutputStream out, IpcFrame frame) throws IOException {
    out.write(encode(frame));
  }

  /**
   * Reads one frame.
   *
   * @return the frame, or null on a clean end of stream exactly at a frame boundary
   * @throws IpcTruncatedException when the stream ends inside a frame
   * @throws IpcFrameTooLargeException when the header declares more than 16 MiB (nothing more is read)
   */
  public static IpcFrame read(InputStream in) throws IOException {
    int kind = in.read();
    if (kind < 0) {
      return null;
    }
    byte[] len = readExactly(in, 4, "IPC frame header");
    long l = u32(len, 0);
    if (l > MAX_PAYLOAD) {
      throw new IpcFrameTooLargeException("IPC frame", l);
    }
    byte[] payload = readExactly(in, (int) l, "IPC frame payload");
    return new IpcFrame(IpcKind.fromWire(kind), kind, payload);
  }

  /** An Exit frame: kind 3 with {@code {"exit_code":..,"error_message":..}}. */
  public static IpcFrame exitFrame(IpcExit exit) {
    ObjectNode n = MAPPER.createObjectNode().put("exit_code", exit.exitCode()).put("error_message", exit.errorMessage());
    return IpcFrame.of(IpcKind.EXIT, json(n));
  }

  /** Parses an Exit frame's payload. */
  public static IpcExit parseExit(byte[] payload) throws IpcDecodeException {
    try {
      JsonNode root = MAPPER.readTree(payload);
      JsonNode code = root.get("exit_code");
      if (code == null || !code.isIntegralNumber() || !code.canConvertToInt()) {
        throw new IllegalArgumentException("exit_code " + code + " is not a 32-bit integer");
      }
      return new IpcExit(code.intValue(), text(root, "error_message"));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new IpcDecodeException("decode Exit: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root == null ? null : root.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("missing or non-string field " + field);
    }
    return n.textValue();
  }

  private static byte[] json(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException("serialising JSON cannot fail", e);
    }
  }

  private static byte[] readExactly(InputStream in, int n, String what) throws IOException {
    byte[] buf = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(buf, got, n - got);
      if (r < 0) {
        throw new IpcTruncatedException(what, n, got);
      }
      got += r;
    }
    return buf;
  }

  static long u32(byte[] b, int off) {
    return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
  }

  private static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
