package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Random;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedCaptureTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, BoundedCapture.CHUNK - 1, BoundedCapture.CHUNK, BoundedCapture.CHUNK + 1,
      3 * BoundedCapture.CHUNK + 5})
  void keepsExactlyTheFirstCapBytesInOrderWhateverTheWriteSizes(int cap) throws Exception {
    byte[] data = new byte[4 * BoundedCapture.CHUNK + 123];
    new Random(cap).nextBytes(data);
    BoundedCapture c = new BoundedCapture(cap);
    Random sizes = new Random(~cap);
    for (int off = 0; off < data.length;) {
      int n = Math.min(data.length - off, 1 + sizes.nextInt(3 * BoundedCapture.CHUNK / 2));
      c.write(data, off, n);
      off += n;
    }
    c.write(42);
    assertEquals(Math.min(cap, data.length + 1), c.retained());
    assertEquals(data.length + 1L, c.total());
    assertEquals(cap < data.length + 1, c.truncated());
    assertArrayEquals(Arrays.copyOf(data, (int) c.retained()), c.read().readAllBytes());
  }

  @Test
  void neverHoldsMoreThanTheCapWhateverIsWritten() throws Exception {
    // 100 MB of zeros, as 'head -c 100000000 /dev/zero' with --json: the capture stays at its cap.
    BoundedCapture c = new BoundedCapture(1 << 20);
    byte[] block = new byte[1 << 16];
    for (int i = 0; i < 100_000_000 / block.length; i++) {
      c.write(block, 0, block.length);
    }
    assertEquals(1 << 20, c.retained());
    assertEquals(1 << 20, c.read().transferTo(new ByteArrayOutputStream()));
    assertTrue(c.truncated());
  }

  @Test
  void aNegativeCapIsABug() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedCapture(-1));
  }

  @Test
  void theJsonIsWrittenFromTheCapturesWithInvalidUtf8Replaced() throws Exception {
    BoundedCapture out = new BoundedCapture(100);
    out.write(new byte[] {'a', (byte) 0xff, 0, '"', '\n'}, 0, 5);
    BoundedCapture err = new BoundedCapture(2);
    err.write("\u00fc".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 2);
    err.write('x');
    StringWriter w = new StringWriter();
    JsonResult.write(w, new ExecutionResult(0, null, null, "", "", FailurePhase.NONE), "", out, err);
    JsonNode j = new ObjectMapper().readTree(w.toString());
    assertEquals("a\ufffd\u0000\"\n", j.get("stdout").asText());
    assertFalse(j.get("stdout_truncated").asBoolean());
    assertEquals("\u00fc", j.get("stderr").asText());
    assertTrue(j.get("stderr_truncated").asBoolean());
    assertFalse(w.toString().contains("\n"), "one line");
  }
}
