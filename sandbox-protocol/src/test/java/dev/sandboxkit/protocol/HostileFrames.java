package dev.sandboxkit.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Hostile control-stream inputs for fuzzing, built from one seed (jqwik supplies and reports the
 * seed, so a failure reproduces; building by hand is ~100x faster than composed arbitraries, which
 * keeps 10,000 tries per property within seconds). Kinds: real frames, real frames with bits
 * flipped, cut short, two frames back to back plus garbage, boundary length headers, real bodies
 * under a wrong length, JSON-ish bodies (bad types, huge numbers, deep nesting, broken escapes),
 * random bytes.
 */
final class HostileFrames {
  static final long[] BOUNDARY_LENGTHS = {
    0L, 1L, 2L, 0x7FL, 0xFFL, FrameCodec.MAX_FRAME_LENGTH - 1L, FrameCodec.MAX_FRAME_LENGTH,
    FrameCodec.MAX_FRAME_LENGTH + 1L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL
  };
  private static final String[] TYPES = {"Ready", "Exec", "Exit", "Ping", "Pong", "StreamsReady", "exec", "", "Nope"};
  private static final String[] KEYS = {
    "exec_id", "script_code", "working_directory", "timeout_ms", "exit_code", "error_message", "type", ""
  };
  private static final String[] VALUES = {
    "\"s\"", "0", "-1", "4294967295", "4294967296", "-4294967296", "1e3", "1.5", "null", "[]", "{}", "true",
    "99999999999999999999999999", "\"\\ud800\"", "\"\\u00\"", "\"\\uDBFF\\uDFFF\"", "[[[[[[[[[[", "\"", "NaN",
    "2147483648", "-2147483649"
  };
  private static final String HOSTILE_CHARS = "\"\\/{}'\u2028\ufeff";
  private static final String JSON_CHARS = "{}[]\":,.-+eE0123456789 \\utypeExcRadyPng";

  private HostileFrames() {}

  static byte[] generate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    switch (r.nextInt(17)) {
      case 0, 1:
        return frame(message(r));
      case 2, 3, 4: {
        byte[] f = frame(message(r));
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return f;
      }
      case 5, 6: {
        byte[] f = frame(message(r));
        return Arrays.copyOf(f, r.nextInt(f.length + 1));
      }
      case 7:
        return FrameFuzzTest.concat(frame(message(r)), frame(message(r)), bytes(r, 12));
      case 8, 9:
        return FrameFuzzTest.concat(
            FrameFuzzTest.header(BOUNDARY_LENGTHS[r.nextInt(BOUNDARY_LENGTHS.length)]), bytes(r, 64));
      case 10, 11: {
        byte[] json = ControlJson.toJson(message(r));
        return FrameFuzzTest.concat(FrameFuzzTest.header(Math.max(0, json.length + r.nextInt(-8, 9))), json);
      }
      case 12, 13, 14: {
        byte[] body = jsonish(r);
        return FrameFuzzTest.concat(FrameFuzzTest.header(body.length), body);
      }
      default:
        return bytes(r, 256);
    }
  }

  static ControlMessage message(SplittableRandom r) {
    switch (r.nextInt(6)) {
      case 0, 1:
        return new ControlMessage.Exec(string(r), string(r), string(r), r.nextLong(0, 0x1_0000_0000L));
      case 2, 3:
        return new ControlMessage.Exit(string(r), r.nextInt(), string(r));
      default: {
        ControlMessage[] bare = {ControlMessage.READY, ControlMessage.STREAMS_READY, ControlMessage.PING, ControlMessage.PONG};
        return bare[r.nextInt(bare.length)];
      }
    }
  }

  /** Any chars: control characters, quotes, lone surrogates, supplementary pairs. */
  static String string(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0, n = r.nextInt(41); i < n; i++) {
      switch (r.nextInt(4)) {
        case 0 -> sb.append((char) r.nextInt(0x20));
        case 1 -> sb.append(HOSTILE_CHARS.charAt(r.nextInt(HOSTILE_CHARS.length())));
        case 2 -> sb.appendCodePoint(r.nextInt(0x20, Character.MAX_CODE_POINT + 1));
        default -> sb.append((char) r.nextInt(0x20, 0x7F));
      }
    }
    return sb.toString();
  }

  static byte[] jsonish(SplittableRandom r) {
    String s;
    switch (r.nextInt(4)) {
      case 0, 1: {
        StringBuilder sb = new StringBuilder("{\"type\":\"").append(TYPES[r.nextInt(TYPES.length)]).append('"');
        for (int i = 0, n = r.nextInt(7); i < n; i++) {
          sb.append(",\"").append(KEYS[r.nextInt(KEYS.length)]).append("\":").append(VALUES[r.nextInt(VALUES.length)]);
        }
        sb.append('}').append(new String[] {"", " ", "\n\t", ",", "}"}[r.nextInt(5)]);
        s = sb.toString();
        break;
      }
      case 2: {
        int n = 1 + r.nextInt(3000);
        s = "[".repeat(n) + "]".repeat(n);
        break;
      }
      default: {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = r.nextInt(101); i < n; i++) {
          sb.append(JSON_CHARS.charAt(r.nextInt(JSON_CHARS.length())));
        }
        s = sb.toString();
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(SplittableRandom r, int maxLen) {
    byte[] b = new byte[r.nextInt(maxLen + 1)];
    r.nextBytes(b);
    return b;
  }

  static byte[] frame(ControlMessage m) {
    try {
      return FrameCodec.encode(m);
    } catch (FrameTooLongException e) {
      throw new IllegalStateException(e);
    }
  }
}
