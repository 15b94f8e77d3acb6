package dev.sandboxkit.cli.session;

/** A session operation failed; {@link #kind()} says how (and which mxc error code it maps to). */
public final class SessionException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, with the mxc state-aware error code it maps to. */
  public enum Kind {
    MALFORMED_ID("malformed_id"),
    UNKNOWN("not_provisioned"),
    NAME_TAKEN("backend_error"),
    NOT_STARTED("not_started"),
    ALREADY_STARTED("already_started"),
    ALREADY_STOPPED("already_stopped"),
    BUSY("backend_error"),
    POLICY("policy_validation"),
    CORRUPT("backend_error"),
    DAEMON("backend_error"),
    IO("backend_error");

    private final String mxcCode;

    Kind(String mxcCode) {
      this.mxcCode = mxcCode;
    }

    /** The mxc error code. */
    public String mxcCode() {
      return mxcCode;
    }
  }

  private final Kind kind;
  private final String whatToDo;

  public SessionException(Kind kind, String message, String whatToDo) {
    super(message);
    this.kind = kind;
    this.whatToDo = whatToDo;
  }

  public SessionException(Kind kind, String message, String whatToDo, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.whatToDo = whatToDo;
  }

  public Kind kind() {
    return kind;
  }

  /** What the user should do about it. */
  public String whatToDo() {
    return whatToDo;
  }
}
