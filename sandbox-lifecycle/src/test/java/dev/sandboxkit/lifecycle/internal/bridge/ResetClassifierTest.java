package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResetClassifierTest {

  @ParameterizedTest
  @ValueSource(strings = {"Connection reset", "Connection reset by peer", "Broken pipe", "Connection aborted",
      "Software caused connection abort: recv failed",
      "An existing connection was forcibly closed by the remote host", "broken pipe (Write failed)"})
  void resetClass(String message) {
    assertTrue(ResetClassifier.isReset(new SocketException(message)));
    assertTrue(ResetClassifier.isReset(new IOException(message)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Connection refused", "Read timed out", "Socket closed", "No route to host"})
  void notReset(String message) {
    assertFalse(ResetClassifier.isReset(new SocketException(message)));
  }

  @Test
  void looksAtCauses() {
    assertTrue(ResetClassifier.isReset(new IOException("wrapped", new SocketException("Connection reset"))));
    assertFalse(ResetClassifier.isReset(new SocketTimeoutException("timeout")));
    assertFalse(ResetClassifier.isReset(new IOException((String) null)));
    assertFalse(ResetClassifier.isReset(new RuntimeException("Connection reset")));
  }
}
