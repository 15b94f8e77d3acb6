package dev.sandboxkit.guest;

/** The agent's process exit codes (also listed by {@code --help}). */
public final class ExitCodes {
  /** The host closed the control channel: normal end. Also {@code --help} and {@code --version}. */
  public static final int CLEAN = 0;
  /** An unexpected internal error (the log says what). */
  public static final int INTERNAL = 1;
  /** Bad command line. */
  public static final int USAGE = 2;
  /** nonce.bin never appeared, or was unreadable or malformed. */
  public static final int NONCE = 3;
  /** The listener could not bind or rendezvous.txt could not be written. */
  public static final int LISTEN = 4;
  /** The host did not connect all four channels, or did not reconnect the data channels, in time. */
  public static final int HOST_TIMEOUT = 5;
  /** The host sent a malformed control frame. */
  public static final int PROTOCOL = 6;
  /**
   * {@code --lifeline stdin}: stdin reached end of file, so the host that held its write end is
   * gone; the running job's whole process tree was killed first.
   */
  public static final int LIFELINE = 7;

  private ExitCodes() {}

  static final String HELP_LIST =
      "Exit codes:\n"
          + "  0  the host closed the control channel (normal end); --help, --version\n"
          + "  1  internal error (see the log on stderr)\n"
          + "  2  bad command line\n"
          + "  3  nonce.bin did not appear in the rendezvous folder within 15 s, or was malformed\n"
          + "  4  cannot bind the listener or write rendezvous.txt\n"
          + "  5  the host did not connect the four channels (--connect-timeout, 600 s) or\n"
          + "     reconnect the data channels after a job (120 s) in time\n"
          + "  6  the host sent a malformed control frame\n"
          + "  7  host lifeline closed: with --lifeline stdin, stdin reached end of file (the host\n"
          + "     is gone); the running job's process tree was killed\n";
}
