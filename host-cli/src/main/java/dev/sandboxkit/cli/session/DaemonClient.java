package dev.sandboxkit.cli.session;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client side of {@link Wire}: one connection per request. Lean on purpose (the {@code exec}
 * path): no data binding, no picocli, streams written as frames arrive.
 */
public final class DaemonClient {
  private final Path socket;
  private final String secret;

  public DaemonClient(Path socket, String secret) {
    this.socket = socket;
    this.secret = secret;
  }

  /** The daemon refused the request: {@code ERR reason}. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Refused(String reason) {
      super("the daemon refused the request: " + reason);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** Nobody is listening on the socket (the daemon is gone). */
  public static final class NotRunning extends IOException {
    private static final long serialVersionUID = 1L;

    NotRunning(Throwable cause) {
      super("no daemon is listening", cause);
    }
  }

  private SocketChannel connect() throws IOException {
    SelectorLookup.skipServiceSearch();
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
      return ch;
    } catch (IOException e) {
      ch.close();
      throw new NotRunning(e);
    }
  }

  /** A one-line request; returns the reply line (after "OK", "PONG"...), throws {@link Refused} on ERR. */
  public String request(String verb, String arg) throws IOException {
    try (SocketChannel ch = connect()) {
      OutputStream out = ChannelStreams.out(ch);
      Wire.writeLine(out, verb + " " + secret + (arg.isEmpty() ? "" : " " + arg));
      String reply = Wire.readLine(new BufferedInputStream(ChannelStreams.in(ch), 256), Wire.MAX_LINE);
      if (reply == null) {
        throw new IOException("the daemon closed the connection without an answer");
      }
      if (reply.startsWith("ERR ")) {
        throw new Refused(reply.substring(4).strip());
      }
      return reply;
    }
  }

  /** What the exec client does with the relayed output. */
  public interface Sink {
    void stdout(byte[] b) throws IOException;

    void stderr(byte[] b) throws IOException;
  }

  /** An admitted execution, streaming until its exit frame. */
  public final class Exec implements AutoCloseable {
    private final SocketChannel ch;
    private final InputStream in;
    private final OutputStream out;
    private final String execId;
    private final Object writeLock = new Object();
    private final AtomicBoolean stdinDone = new AtomicBoolean();
    /** Most stdin bytes per frame: the daemon queues 16 frames at most, so 4 MiB are in flight. */
    static final int STDIN_FRAME = 256 * 1024;

    private Exec(SocketChannel ch, InputStream in, OutputStream out, String execId) {
      this.ch = ch;
      this.in = in;
      this.out = out;
      this.execId = execId;
    }

    public String id() {
      return execId;
    }

    /**
     * Pumps {@code stdin} to the execution on a daemon thread (only now, after admission: B20);
     * null = no stdin (end of file at once).
     */
    public void pumpStdin(InputStream stdin) {
      if (stdin == null) {
        endStdin();
        return;
      }
      Thread t = new Thread(() -> {
        try {
          pumpFrames(stdin);
        } catch (IOException e) {
          // stdin failed or the execution ended: end of file for the command
        }
        endStdin();
      }, "sk-exec-stdin");
      t.setDaemon(true);
      t.start();
    }

    /**
     * Sends {@code stdin} as stdin frames of up to {@link #STDIN_FRAME} bytes, each built in one
     * reused native buffer (header, then the payload read into it) and written to the socket as it
     * is: a file or pipe (the CLI's stdin) is read through its channel, with no copy in the JVM.
     * Back-pressure: the next read waits until the socket has taken the last frame.
     */
    private void pumpFrames(InputStream stdin) throws IOException {
      ReadableByteChannel source = stdin instanceof FileInputStream
          ? ((FileInputStream) stdin).getChannel()
          : Channels.newChannel(stdin);
      ByteBuffer frame = ByteBuffer.allocateDirect(Wire.FRAME_HEADER + STDIN_FRAME).order(ByteOrder.LITTLE_ENDIAN);
      while (!stdinDone.get()) {
        frame.clear().position(Wire.FRAME_HEADER);
        int n = source.read(frame);
        if (n < 0) {
          return;
        }
        if (n == 0) {
          continue;
        }
        frame.put(0, (byte) Wire.STDIN).putInt(1, frame.position() - Wire.FRAME_HEADER).flip();
        synchronized (writeLock) {
          while (frame.hasRemaining()) {
            ch.write(frame);
          }
        }
      }
    }

    private void endStdin() {
      if (stdinDone.compareAndSet(false, true)) {
        synchronized (writeLock) {
          try {
            Wire.writeFrame(out, Wire.STDIN, new byte[0], 0, 0);
          } catch (IOException e) {
            // the execution is over
          }
        }
      }
    }

    /** Relays frames to {@code sink} until the exit frame. */
    public Wire.Exit relay(Sink sink) throws IOException {
      Wire.Frame f;
      while ((f = Wire.readFrame(in)) != null) {
        switch (f.kind()) {
          case Wire.STDOUT -> sink.stdout(f.payload());
          case Wire.STDERR -> sink.stderr(f.payload());
          case Wire.EXIT -> {
            stdinDone.set(true);
            return Wire.parseExit(f.payload());
          }
          default -> throw new IOException("the daemon sent an unknown frame kind " + f.kind());
        }
      }
      throw new IOException("the daemon closed the connection before the exit frame (the sandbox "
          + "was stopped or its daemon died)");
    }

    /** Cancels the execution from another connection (Ctrl-C). */
    public void cancel() {
      try {
        request("CANCEL", execId);
      } catch (IOException e) {
        // gone already; closing our connection cancels it too
      }
    }

    @Override
    public void close() {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  /**
   * Sends EXEC and the request; returns the admitted execution or throws {@link Refused}. The
   * request is encoded before the connection is made: a cold {@code exec} client's first socket
   * waits for the JDK's Unix-domain set-up (on the head start's thread), and the JSON encoding
   * fits in that wait.
   */
  public Exec exec(Wire.ExecRequest req) throws IOException {
    byte[] line = ("EXEC " + secret + " " + Wire.VERSION + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] body = Wire.encodeRequest(req);
    byte[] all = new byte[line.length + body.length];
    System.arraycopy(line, 0, all, 0, line.length);
    System.arraycopy(body, 0, all, line.length, body.length);
    SocketChannel ch = connect();
    try {
      OutputStream out = ChannelStreams.out(ch);
      out.write(all);
      InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 64 * 1024);
      String reply = Wire.readLine(in, Wire.MAX_LINE);
      if (reply == null) {
        throw new IOException("the daemon closed the connection without an answer");
      }
      if (reply.startsWith("ERR ")) {
        throw new Refused(reply.substring(4).strip());
      }
      if (!reply.startsWith("OK ")) {
        throw new IOException("the daemon answered " + SessionId.quote(reply));
      }
      return new Exec(ch, in, out, reply.substring(3).strip());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }
}
