package dev.sandboxkit.lifecycle.internal.bridge;

/**
 * What one exec on the guest produced.
 *
 * @param kind how it ended
 * @param exitCode the guest's exit code; -1 for WATCHDOG and FAILED
 * @param errorMessage one line: the guest's message plus truncation / transport notes
 * @param detail developer detail (grace cut, stdin errors); may be empty
 * @param stdout captured stdout (partial after WATCHDOG / FAILED); empty when streamed
 * @param stderr captured stderr; empty when streamed
 */
public record ExecOutcome(
    Kind kind, int exitCode, String errorMessage, String detail, byte[] stdout, byte[] stderr) {

  /** How the exec ended. */
  public enum Kind {
    /** The guest reported Exit (any exit code). */
    EXITED,
    /** The host-held deadline (timeout + grace) passed before Exit. */
    WATCHDOG,
    /** The guest reported Exit after the host sent Cancel. */
    CANCELLED,
    /** A protocol or transport error before Exit. */
    FAILED
  }
}
