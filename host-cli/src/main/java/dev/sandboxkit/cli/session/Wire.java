package dev.sandboxkit.cli.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client ⇄ daemon protocol, version 1. One connection per request:
 * <pre>
 *   client: VERB SECRET [ARG]\n        (at most {@value #MAX_LINE} bytes; VERB = PING | STOP | EXEC | CANCEL)
 *   EXEC:   ARG = "1" (protocol), then [u32 LE n][n bytes JSON request] (n ≤ {@value #MAX_REQUEST})
 *   daemon: OK [exec id]\n | PONG\n | ERR reason\n
 *   then, for an admitted EXEC, ipc-exec frames [kind u8][u32 LE len][payload] (as internal/ipc's
 *   IpcCodec): 1 stdout, 2 stderr, 3 exit (daemon → client, last); 4 stdin (client → daemon; an
 *   empty payload = end of stdin). The client closing the connection before the exit frame cancels
 *   the execution; CANCEL SECRET EXEC-ID on a second connection cancels it too (Ctrl-C).
 * </pre>
 * Encoded with jackson-core's streaming API, so the {@code exec} client loads no data binding.
 */
public final class Wire {
  public static final String VERSION = "1";
  public static final int MAX_LINE = 1024;
  public static final int MAX_REQUEST = 1 << 20;
  public static final int MAX_PAYLOAD = 16 << 20;
  /** A frame's header: kind (u8), payload length (u32 LE). */
  public static final int FRAME_HEADER = 5;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int EXIT = 3;
  public static final int STDIN = 4;
  private static final JsonFactory JSON = new JsonFactory();

  private Wire() {}

  /** What {@code exec} asks for. Exactly one of argv / shell is set. */
  public record ExecRequest(List<String> argv, Optional<String> shell, String cwd, long timeoutMs,
      Map<String, String> env) {
    public ExecRequest {
      argv = List.copyOf(argv);
      env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
      if (argv.isEmpty() == shell.isEmpty()) {
        throw new IllegalArgumentException("an execution needs either argv or a shell command line");
      }
    }

    @Override
    public String toString() { // never the command line or env values
      return "ExecRequest[" + (shell.isPresent() ? "shell" : argv.size() + " args") + ", env "
          + env.size() + ", timeoutMs=" + timeoutMs + "]";
    }
  }

  /** The exit frame: the result of one execution. */
  public record Exit(int exitCode, String errorMessage, String extendedError, FailurePhase phase) {}

  /** Reads one line up to '\n' (not included); null at EOF before any byte. */
  public static String readLine(InputStream in, int max) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (b.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed inside a line");
      }
      if (c == '\n') {
        return b.toString(StandardCharsets.UTF_8);
      }
      if (b.size() >= max) {
        throw new LineTooLongException(max);
      }
      b.write(c);
    }
  }

  /** A request line longer than the cap. */
  public static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLongException(int max) {
      super("request line longer than " + max + " bytes");
    }
  }

  public static void writeLine(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** One frame: header and payload in one write. */
  public static void writeFrame(OutputStream out, int kind, byte[] b, int off, int len) throws IOException {
    byte[] f = new byte[5 + len];
    f[0] = (byte) kind;
    putU32(f, 1, len);
    System.arraycopy(b, off, f, 5, len);
    out.write(f);
  }

  /** A frame read from the peer; null payload never. */
  public record Frame(int kind, byte[] payload) {}

  /** Reads one frame; null on a clean EOF at a frame boundary. */
  public static Frame readFrame(InputStream in) throws IOException {
    int kind = in.read();
    if (kind < 0) {
      return null;
    }
    long len = u32(readExactly(in, 4));
    if (len > MAX_PAYLOAD) {
      throw new IOException("frame of " + len + " bytes is over the limit of " + MAX_PAYLOAD);
    }
    return new Frame(kind, readExactly(in, (int) len));
  }

  public static byte[] encodeRequest(ExecRequest r) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(b)) {
      g.writeStartObject();
      if (r.shell().isPresent()) {
        g.writeStringField("script_code", r.shell().get());
      } else {
        g.writeArrayFieldStart("argv");
        for (String a : r.argv()) {
          g.writeString(a);
        }
        g.writeEndArray();
      }
      g.writeStringField("working_directory", r.cwd());
      g.writeNumberField("timeout_ms", r.timeoutMs());
      g.writeObjectFieldStart("env");
      for (Map.Entry<String, String> e : r.env().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    byte[] json = b.toByteArray();
    if (json.length > MAX_REQUEST) {
      throw new IOException("the request is " + json.length + " bytes, over the limit of " + MAX_REQUEST);
    }
    byte[] out = new byte[4 + json.length];
    putU32(out, 0, json.length);
    System.arraycopy(json, 0, out, 4, json.length);
    return out;
  }

  public static ExecRequest readRequest(InputStream in) throws IOException {
    long len = u32(readExactly(in, 4));
    if (len > MAX_REQUEST) {
      throw new IOException("request of " + len + " bytes is over the limit of " + MAX_REQUEST);
    }
    byte[] json = readExactly(in, (int) len);
    List<String> argv = new ArrayList<>();
    Optional<String> shell = Optional.empty();
    String cwd = "";
    long timeout = 0;
    Map<String, String> env = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.getCurrentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "script_code" -> {
            expect(t == JsonToken.VALUE_STRING, "script_code is not a string");
            shell = Optional.of(p.getText());
          }
          case "argv" -> {
            expect(t == JsonToken.START_ARRAY, "argv is not an array");
            while (p.nextToken() == JsonToken.VALUE_STRING) {
              argv.add(p.getText());
            }
            expect(p.currentToken() == JsonToken.END_ARRAY, "argv holds a non-string");
          }
          case "working_directory" -> {
            expect(t == JsonToken.VALUE_STRING, "working_directory is not a string");
            cwd = p.getText();
          }
          case "timeout_ms" -> {
            expect(t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0, "timeout_ms is not a non-negative integer");
            timeout = p.getLongValue();
          }
          case "env" -> {
            expect(t == JsonToken.START_OBJECT, "env is not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.getCurrentName();
              expect(p.nextToken() == JsonToken.VALUE_STRING, "env value is not a string");
              env.put(k, p.getText());
            }
          }
          default -> p.skipChildren();
        }
      }
      return new ExecRequest(argv, shell, cwd, timeout, env);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public static byte[] encodeExit(Exit e) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(b)) {
      g.writeStartObject();
      g.writeNumberField("exit_code", e.exitCode());
      g.writeStringField("error_message", e.errorMessage());
      g.writeStringField("extended_error", e.extendedError());
      g.writeStringField("failure_phase", e.phase().name());
      g.writeEndObject();
    }
    return b.toByteArray();
  }

  public static Exit parseExit(byte[] json) throws IOException {
    Integer code = null;
    String msg = "";
    String ext = "";
    FailurePhase phase = FailurePhase.NONE;
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "exit frame is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.getCurrentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "exit_code" -> {
            expect(t == JsonToken.VALUE_NUMBER_INT, "exit_code is not an integer");
            code = p.getIntValue();
          }
          case "error_message" -> msg = p.getText();
          case "extended_error" -> ext = p.getText();
          case "failure_phase" -> phase = phaseOf(p.getText());
          default -> p.skipChildren();
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (code == null) {
      throw new IOException("exit frame has no exit_code");
    }
    return new Exit(code, msg, ext, phase);
  }

  private static FailurePhase phaseOf(String s) {
    for (FailurePhase p : FailurePhase.values()) {
      if (p.name().equals(s)) {
        return p;
      }
    }
    return FailurePhase.POST_LAUNCH_FAILED; // a newer daemon's phase: a failure all the same
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] buf = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(buf, got, n - got);
      if (r < 0) {
        throw new EOFException("connection closed inside a frame (" + got + " of " + n + " bytes)");
      }
      got += r;
    }
    return buf;
  }

  static long u32(byte[] b) {
    return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
  }

  static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
