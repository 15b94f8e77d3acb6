package dev.sandboxkit.guest.executor;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * Reads a job's pipe for {@link OutputPump}, into native buffers. When the stream is the JDK's
 * process pipe (a buffered stream over a {@link FileInputStream}) the pipe is read through the file's
 * channel straight into the buffer, with no copy in the JVM, and on Linux the pipe is widened once the
 * job fills it (a bulk writer); any other stream is read through a heap array.
 */
abstract class PipeSource {
  private static final System.Logger LOG = System.getLogger(PipeSource.class.getName());
  /** Linux's default pipe size: a read this large found the pipe full. */
  static final int DEFAULT_PIPE = 64 * 1024;
  /**
   * Pipe sizes to ask for, in order ({@code F_SETPIPE_SZ}; Linux caps what an unprivileged process
   * may ask at {@code /proc/sys/fs/pipe-max-size}, 1 MiB by default): the job writes ahead while the
   * pump is busy, and the pump takes more per read. Kernel memory, used only while data waits.
   */
  static final int[] WIDE_PIPE = {1024 * 1024, 256 * 1024};
  static final int F_SETPIPE_SZ = 1031;
  static final int F_GETPIPE_SZ = 1032;

  /** Reads at least one byte (blocking), or returns -1 at end of stream. */
  abstract int read(ByteBuffer dst) throws IOException;

  /** Adds whatever the pipe already holds, without blocking, while {@code dst} has room. */
  abstract void fill(ByteBuffer dst);

  static PipeSource of(InputStream in) {
    FileInputStream file = fileUnder(in);
    return file != null ? new ChannelSource(in, file) : new StreamSource(in);
  }

  /**
   * The {@link FileInputStream} under {@code in}: {@code in} itself, or the stream a {@link
   * FilterInputStream} wraps (the JDK's process pipes: a buffered stream over the pipe's file), read
   * through {@link JdkFields}. Null when there is none or it cannot be read. Taken under the stream's
   * lock, so the JDK cannot swap the file out meanwhile.
   */
  static FileInputStream fileUnder(InputStream in) {
    if (in instanceof FileInputStream) {
      return (FileInputStream) in;
    }
    Object inner = in instanceof FilterInputStream ? JdkFields.read(JdkFields.FILTER_IN, in) : null;
    return inner instanceof FileInputStream ? (FileInputStream) inner : null;
  }

  /**
   * The {@link FileOutputStream} under {@code out}: {@code out} itself, or the stream a {@link
   * FilterOutputStream} wraps (the JDK's process stdin: a buffered stream over the pipe's file), read
   * as {@link #fileUnder(InputStream)} does. Null when there is none or it cannot be read.
   */
  static FileOutputStream fileUnder(OutputStream out) {
    if (out instanceof FileOutputStream) {
      return (FileOutputStream) out;
    }
    Object inner = out instanceof FilterOutputStream ? JdkFields.read(JdkFields.FILTER_OUT, out) : null;
    return inner instanceof FileOutputStream ? (FileOutputStream) inner : null;
  }

  /**
   * {@code fcntl(fd, cmd, arg)} on the file's descriptor (Linux, through JNA); -1 when it failed or
   * is not available. The caller holds the stream's lock, so the JDK does not close the file meanwhile.
   */
  static int fcntl(FileInputStream file, int cmd, int arg) {
    try {
      return fcntl(file.getFD(), cmd, arg);
    } catch (IOException e) {
      return -1;
    }
  }

  /** {@link #fcntl(FileInputStream, int, int)} on the job's stdin pipe ({@link InputPump}). */
  static int fcntl(FileOutputStream file, int cmd, int arg) {
    try {
      return fcntl(file.getFD(), cmd, arg);
    } catch (IOException e) {
      return -1;
    }
  }

  private static int fcntl(FileDescriptor fd, int cmd, int arg) {
    if (!Platform.isLinux()) {
      return -1;
    }
    try {
      Object n = JdkFields.read(JdkFields.FD, fd);
      return !(n instanceof Integer) || (Integer) n < 0 || !fd.valid()
          ? -1 : LibC.INSTANCE.fcntl((Integer) n, cmd, arg);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "fcntl on the job''s pipe: {0}", e.toString());
      return -1;
    }
  }

  /**
   * The three {@code java.io} fields the channel path needs, read by plain reflection: the guest JVM
   * opens {@code java.io} to the agent ({@code --add-opens java.base/java.io=ALL-UNNAMED} in its
   * flags and {@code Add-Opens} in the jar's manifest), which every JDK from 9 on honours and which
   * needs no {@code sun.misc.Unsafe} (whose memory access JDK 24+ warns about and Netty no longer
   * uses there). Without the opening the fields are null and the pumps take the stream path.
   */
  static final class JdkFields {
    static final Field FILTER_IN = open(FilterInputStream.class, "in");
    static final Field FILTER_OUT = open(FilterOutputStream.class, "out");
    static final Field FD = open(FileDescriptor.class, "fd");

    private JdkFields() {}

    /** Whether the channel path is available (all three fields readable). */
    static boolean available() {
      return FILTER_IN != null && FILTER_OUT != null && FD != null;
    }

    private static Field open(Class<?> owner, String name) {
      try {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "pipes go through their streams ({0}.{1}: {2})",
            owner.getSimpleName(), name, e.toString());
        return null;
      }
    }

    /** {@code field} of {@code target} under {@code target}'s lock, or null. */
    static Object read(Field field, Object target) {
      if (field == null) {
        return null;
      }
      try {
        synchronized (target) {
          return field.get(target);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  /** libc through JNA, loaded on first use. */
  interface LibC extends Library {
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    int fcntl(int fd, int cmd, int arg);
  }

  /**
   * Through the file channel, holding the stream's lock as the stream's own reads do: when the job
   * exits the JDK moves what is left in the pipe into the stream and closes the file (under that
   * lock); after that the channel is closed and the rest comes from the stream.
   */
  static final class ChannelSource extends PipeSource {
    private final InputStream stream;
    private final FileInputStream file;
    private final FileChannel channel;
    private StreamSource rest;
    private boolean widened;

    ChannelSource(InputStream stream, FileInputStream file) {
      this.stream = stream;
      this.file = file;
      this.channel = file.getChannel();
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
      if (rest == null) {
        synchronized (stream) {
          try {
            int n = channel.read(dst);
            if (n >= DEFAULT_PIPE && !widened) {
              widened = true;
              widen();
            }
            return n;
          } catch (ClosedChannelException e) {
            rest = new StreamSource(stream);
          }
        }
      }
      return rest.read(dst);
    }

    /** Asks for a wider pipe (under the stream's lock, with the channel open). */
    private void widen() {
      for (int size : WIDE_PIPE) {
        if (!channel.isOpen() || fcntl(file, F_SETPIPE_SZ, size) >= 0) {
          return;
        }
      }
      LOG.log(System.Logger.Level.DEBUG, "the job''s pipe keeps its size");
    }

    /** The pipe's size ({@code F_GETPIPE_SZ}), or -1 (for tests). */
    int pipeSize() {
      synchronized (stream) {
        return channel.isOpen() ? fcntl(file, F_GETPIPE_SZ, 0) : -1;
      }
    }

    @Override
    void fill(ByteBuffer dst) {
      if (rest != null) {
        rest.fill(dst);
        return;
      }
      try {
        synchronized (stream) {
          while (dst.hasRemaining() && stream.available() > 0) {
            if (channel.read(dst) <= 0) {
              return;
            }
          }
        }
      } catch (IOException e) {
        // reported by the next read
      }
    }
  }

  /** Through the stream: one heap array, copied into the buffer. */
  static final class StreamSource extends PipeSource {
    private final InputStream stream;
    private byte[] staging;

    StreamSource(InputStream stream) {
      this.stream = stream;
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
      if (staging == null) {
        staging = new byte[OutputPump.CHUNK];
      }
      int n = stream.read(staging, 0, Math.min(staging.length, dst.remaining()));
      if (n > 0) {
        dst.put(staging, 0, n);
      }
      return n;
    }

    @Override
    void fill(ByteBuffer dst) {
      try {
        while (dst.hasRemaining() && stream.available() > 0) {
          if (read(dst) <= 0) {
            return;
          }
        }
      } catch (IOException e) {
        // reported by the next read
      }
    }
  }
}
