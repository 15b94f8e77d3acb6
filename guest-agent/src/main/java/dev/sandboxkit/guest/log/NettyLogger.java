package dev.sandboxkit.guest.log;

import io.netty.util.internal.logging.AbstractInternalLogger;

/**
 * One Netty logger: {@code {}} placeholders are filled here (a trailing {@link Throwable} that no
 * placeholder takes is the record's throwable), then the finished text goes to a {@link
 * System.Logger} without parameters, so it is never parsed as a {@link java.text.MessageFormat}
 * pattern. TRACE and DEBUG are dropped.
 */
final class NettyLogger extends AbstractInternalLogger {
  private static final long serialVersionUID = 1L;

  private final transient System.Logger target;

  NettyLogger(String name, System.Logger target) {
    super(name);
    this.target = target;
  }

  /** {@code {}} placeholders filled in order (pure, for tests). */
  static String fill(String format, Object[] args, int count) {
    if (format == null || count == 0) {
      return format;
    }
    StringBuilder sb = new StringBuilder(format.length() + 16 * count);
    int from = 0;
    for (int i = 0; i < count; i++) {
      int at = format.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      sb.append(format, from, at).append(args[i]);
      from = at + 2;
    }
    return sb.append(format, from, format.length()).toString();
  }

  private void emit(System.Logger.Level level, String format, Object... args) {
    if (!target.isLoggable(level)) {
      return;
    }
    int count = args.length;
    Throwable thrown = null;
    if (count > 0 && args[count - 1] instanceof Throwable && placeholders(format) < count) {
      thrown = (Throwable) args[count - 1];
      count--;
    }
    target.log(level, fill(format, args, count), thrown);
  }

  private static int placeholders(String format) {
    int n = 0;
    for (int at = format == null ? -1 : format.indexOf("{}"); at >= 0; at = format.indexOf("{}", at + 2)) {
      n++;
    }
    return n;
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
  }

  @Override
  public void trace(String msg) {}

  @Override
  public void trace(String format, Object arg) {}

  @Override
  public void trace(String format, Object argA, Object argB) {}

  @Override
  public void trace(String format, Object... arguments) {}

  @Override
  public void trace(String msg, Throwable t) {}

  @Override
  public boolean isDebugEnabled() {
    return false;
  }

  @Override
  public void debug(String msg) {}

  @Override
  public void debug(String format, Object arg) {}

  @Override
  public void debug(String format, Object argA, Object argB) {}

  @Override
  public void debug(String format, Object... arguments) {}

  @Override
  public void debug(String msg, Throwable t) {}

  @Override
  public boolean isInfoEnabled() {
    return target.isLoggable(System.Logger.Level.INFO);
  }

  @Override
  public void info(String msg) {
    emit(System.Logger.Level.INFO, msg);
  }

  @Override
  public void info(String format, Object arg) {
    emit(System.Logger.Level.INFO, format, arg);
  }

  @Override
  public void info(String format, Object argA, Object argB) {
    emit(System.Logger.Level.INFO, format, argA, argB);
  }

  @Override
  public void info(String format, Object... arguments) {
    emit(System.Logger.Level.INFO, format, arguments);
  }

  @Override
  public void info(String msg, Throwable t) {
    target.log(System.Logger.Level.INFO, msg, t);
  }

  @Override
  public boolean isWarnEnabled() {
    return target.isLoggable(System.Logger.Level.WARNING);
  }

  @Override
  public void warn(String msg) {
    emit(System.Logger.Level.WARNING, msg);
  }

  @Override
  public void warn(String format, Object arg) {
    emit(System.Logger.Level.WARNING, format, arg);
  }

  @Override
  public void warn(String format, Object argA, Object argB) {
    emit(System.Logger.Level.WARNING, format, argA, argB);
  }

  @Override
  public void warn(String format, Object... arguments) {
    emit(System.Logger.Level.WARNING, format, arguments);
  }

  @Override
  public void warn(String msg, Throwable t) {
    target.log(System.Logger.Level.WARNING, msg, t);
  }

  @Override
  public boolean isErrorEnabled() {
    return target.isLoggable(System.Logger.Level.ERROR);
  }

  @Override
  public void error(String msg) {
    emit(System.Logger.Level.ERROR, msg);
  }

  @Override
  public void error(String format, Object arg) {
    emit(System.Logger.Level.ERROR, format, arg);
  }

  @Override
  public void error(String format, Object argA, Object argB) {
    emit(System.Logger.Level.ERROR, format, argA, argB);
  }

  @Override
  public void error(String format, Object... arguments) {
    emit(System.Logger.Level.ERROR, format, arguments);
  }

  @Override
  public void error(String msg, Throwable t) {
    target.log(System.Logger.Level.ERROR, msg, t);
  }
}
