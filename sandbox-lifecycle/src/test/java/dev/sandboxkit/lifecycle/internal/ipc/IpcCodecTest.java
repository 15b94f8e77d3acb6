package dev.sandboxkit.lifecycle.internal.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IpcCodecTest {

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static InputStream in(byte[] b) {
    return new ByteArrayInputStream(b);
  }

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void execStartRoundTrips() throws IOException {
    ExecStart req = new ExecStart("echo hi", "C:\\work", 30000);
    byte[] enc = IpcCodec.encodeExecStart(req);
    assertEquals(enc.length - 4, IpcCodec.u32(enc, 0));
    assertEquals("{\"script_code\":\"echo hi\",\"working_directory\":\"C:\\\\work\",\"timeout_ms\":30000}",
        new String(enc, 4, enc.length - 4, StandardCharsets.UTF_8));
    assertEquals(req, IpcCodec.readExecStart(in(enc)));
  }

  @Test
  void execStartTimeoutIsUnsigned32() throws IOException {
    ExecStart req = new ExecStart("x", "", 4_294_967_295L);
    byte[] enc = IpcCodec.encodeExecStart(req);
    assertTrue(new String(enc, StandardCharsets.UTF_8).contains("4294967295"));
    assertEquals(req, IpcCodec.readExecStart(in(enc)));
  }

  static byte[] execStartRaw(String json) {
    byte[] j = utf8(json);
    byte[] out = new byte[4 + j.length];
    out[0] = (byte) j.length;
    out[1] = (byte) (j.length >> 8);
    System.arraycopy(j, 0, out, 4, j.length);
    return out;
  }

  @Test
  void execStartIgnoresUnknownFieldsAndOrder() throws IOException {
    assertEquals(new ExecStart("a", "b", 1), IpcCodec.readExecStart(in(execStartRaw(
        "{\"timeout_ms\":1,\"x\":[1],\"working_directory\":\"b\",\"script_code\":\"a\"}"))));
  }

  @Test
  void execStartRejectsMissingFieldAndBadTimeout() {
    assertThrows(IpcDecodeException.class, () -> IpcCodec.readExecStart(in(execStartRaw(
        "{\"script_code\":\"a\",\"timeout_ms\":1}"))));
    assertThrows(IpcDecodeException.class, () -> IpcCodec.readExecStart(in(execStartRaw(
        "{\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":-1}"))));
    assertThrows(IpcDecodeException.class, () -> IpcCodec.readExecStart(in(execStartRaw(
        "{\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":4294967296}"))));
    IpcDecodeException e = assertThrows(IpcDecodeException.class,
        () -> IpcCodec.readExecStart(in(execStartRaw("not json"))));
    assertTrue(e.getMessage().startsWith("decode ExecStart: "), e.getMessage());
  }

  @Test
  void execStartTooLargeIsRejectedFromTheHeader() {
    IpcFrameTooLargeException e = assertThrows(IpcFrameTooLargeException.class,
        () -> IpcCodec.readExecStart(in(bytes(0x01, 0x00, 0x00, 0x01))));
    assertEquals(16 * 1024 * 1024 + 1, e.length());
    assertTrue(e.getMessage().contains("ExecStart frame too large: 16777217 bytes"), e.getMessage());
  }

  @Test
  void execStartTruncatedIsUnexpectedEof() {
    assertThrows(IpcTruncatedException.class, () -> IpcCodec.readExecStart(in(bytes(5, 0))));
    assertThrows(IpcTruncatedException.class, () -> IpcCodec.readExecStart(in(bytes(5, 0, 0, 0, '{'))));
    assertThrows(IpcTruncatedException.class, () -> IpcCodec.readExecStart(in(new byte[0])));
  }

  @Test
  void dataFramesRoundTripThenCleanEof() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IpcCodec.write(out, IpcFrame.of(IpcKind.STDOUT, utf8("hello")));
    IpcCodec.write(out, IpcFrame.of(IpcKind.STDERR, utf8("warn")));
    IpcCodec.write(out, IpcCodec.exitFrame(new IpcExit(42, "boom")));
    InputStream in = in(out.toByteArray());
    IpcFrame a = IpcCodec.read(in);
    assertEquals(IpcKind.STDOUT, a.kind());
    assertArrayEquals(utf8("hello"), a.payload());
    IpcFrame b = IpcCodec.read(in);
    assertEquals(IpcKind.STDERR, b.kind());
    assertArrayEquals(utf8("warn"), b.payload());
    IpcFrame c = IpcCodec.read(in);
    assertEquals(IpcKind.EXIT, c.kind());
    assertEquals(new IpcExit(42, "boom"), IpcCodec.parseExit(c.payload()));
    assertNull(IpcCodec.read(in));
  }

  @Test
  void frameBytesAreKindThenLittleEndianLength() throws IOException {
    assertArrayEquals(bytes(4, 3, 0, 0, 0, 'a', 'b', 'c'), IpcCodec.encode(IpcFrame.of(IpcKind.STDIN, utf8("abc"))));
    assertArrayEquals(bytes(1, 0, 0, 0, 0), IpcCodec.encode(IpcFrame.of(IpcKind.STDOUT, new byte[0])));
  }

  @Test
  void exitPayloadIsCompactJson() {
    assertEquals("{\"exit_code\":-1,\"error_message\":\"spawn failed\"}",
        new String(IpcCodec.exitFrame(new IpcExit(-1, "spawn failed")).payload(), StandardCharsets.UTF_8));
  }

  @Test
  void zeroLengthPayloadIsLegal() throws IOException {
    IpcFrame f = IpcCodec.read(in(bytes(2, 0, 0, 0, 0)));
    assertEquals(IpcKind.STDERR, f.kind());
    assertEquals(0, f.payload().length);
  }

  @Test
  void partialFrameIsUnexpectedEof() {
    assertThrows(IpcTruncatedException.class, () -> IpcCodec.read(in(bytes(0x01, 0x10, 0x00))));
  }

  @Test
  void kindByteAloneIsUnexpectedEof() {
    assertThrows(IpcTruncatedException.class, () -> IpcCodec.read(in(bytes(0x01))));
  }

  @Test
  void shortPayloadIsUnexpectedEof() {
    IpcTruncatedException e = assertThrows(IpcTruncatedException.class,
        () -> IpcCodec.read(in(bytes(1, 10, 0, 0, 0, 'a', 'b'))));
    assertTrue(e.getMessage().contains("expected 10 bytes, got 2"), e.getMessage());
  }

  @Test
  void oversizeFrameIsRejectedWithoutReadingThePayload() throws IOException {
    int[] reads = {0};
    byte[] header = bytes(0x01, 0x01, 0x00, 0x00, 0x01);
    InputStream counting = new ByteArrayInputStream(header) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        reads[0] += len;
        return super.read(b, off, len);
      }
    };
    IpcFrameTooLargeException e = assertThrows(IpcFrameTooLargeException.class, () -> IpcCodec.read(counting));
    assertEquals(16 * 1024 * 1024 + 1, e.length());
    assertTrue(e.getMessage().contains("IPC frame too large: 16777217 bytes"), e.getMessage());
    assertEquals(4, reads[0], "only the length was read");
  }

  @Test
  void exactlySixteenMibIsAllowed() throws IOException {
    byte[] payload = new byte[IpcCodec.MAX_PAYLOAD];
    payload[payload.length - 1] = 7;
    byte[] enc = IpcCodec.encode(IpcFrame.of(IpcKind.STDOUT, payload));
    assertArrayEquals(bytes(1, 0, 0, 0, 1), java.util.Arrays.copyOf(enc, 5));
    assertArrayEquals(payload, IpcCodec.read(in(enc)).payload());
  }

  @Test
  void encoderRefusesMoreThanSixteenMib() {
    assertThrows(IpcFrameTooLargeException.class,
        () -> IpcCodec.encode(IpcFrame.of(IpcKind.STDOUT, new byte[IpcCodec.MAX_PAYLOAD + 1])));
  }

  @Test
  void unknownKindIsPreservedWithItsRawByte() throws IOException {
    IpcFrame f = IpcCodec.read(in(bytes(0xFE, 1, 0, 0, 0, 'z')));
    assertEquals(IpcKind.UNKNOWN, f.kind());
    assertEquals(0xFE, f.rawKind());
    assertArrayEquals(utf8("z"), f.payload());
    assertArrayEquals(bytes(0xFE, 1, 0, 0, 0, 'z'), IpcCodec.encode(f));
  }

  @Test
  void byteByByteDeliveryDecodes() throws IOException {
    byte[] enc = IpcCodec.encode(IpcFrame.of(IpcKind.STDOUT, utf8("slow")));
    InputStream trickle = new ByteArrayInputStream(enc) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(1, len));
      }
    };
    assertArrayEquals(utf8("slow"), IpcCodec.read(trickle).payload());
    assertNull(IpcCodec.read(trickle));
  }

  @Test
  void exitParsingRejectsMalformedPayloads() {
    assertThrows(IpcDecodeException.class, () -> IpcCodec.parseExit(utf8("{\"exit_code\":1}")));
    assertThrows(IpcDecodeException.class, () -> IpcCodec.parseExit(utf8("{\"exit_code\":2147483648,\"error_message\":\"\"}")));
    assertThrows(IpcDecodeException.class, () -> IpcCodec.parseExit(utf8("garbage")));
    assertThrows(IpcDecodeException.class, () -> IpcCodec.parseExit(new byte[0]));
  }

  @Test
  void frameKindMustMatchRawByte() {
    assertThrows(IllegalArgumentException.class, () -> new IpcFrame(IpcKind.STDOUT, 2, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new IpcFrame(IpcKind.UNKNOWN, 256, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> IpcFrame.of(IpcKind.UNKNOWN, new byte[0]));
  }

  @Test
  void execStartToStringHidesTheScript() {
    assertTrue(!new ExecStart("secret-cmd", "", 1).toString().contains("secret-cmd"));
  }
}
