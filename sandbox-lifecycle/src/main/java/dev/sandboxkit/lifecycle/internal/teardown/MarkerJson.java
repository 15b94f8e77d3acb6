package dev.sandboxkit.lifecycle.internal.teardown;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The marker's JSON form on jackson-core's streaming API only (no databind: the marker is written
 * before every launch, and databind's start-up cost sat on that path).
 *
 * <p>Writing is compact in mxc's field order. Reading accepts any member order and whitespace,
 * ignores unknown members (whatever their value), and rejects with a {@link MarkerFormatException}:
 * a non-object, a missing {@code launcher_pid} or {@code vm_processes[].pid/creation_time}, a value
 * of the wrong type or out of range (pids u32, creation times 0..2^63-1), a known member given twice
 * (serde rejects duplicate fields too), malformed JSON and anything after the object.
 */
final class MarkerJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int PREVIEW_BYTES = 40;
  private static final int VALUE_CLIP = 40;

  private MarkerJson() {
  }

  static byte[] write(Marker m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96 + 48 * m.vmProcesses().size());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("launcher_pid", m.launcherPid());
      if (m.launcherCreationTime() == null) {
        g.writeNullField("launcher_creation_time");
      } else {
        g.writeNumberField("launcher_creation_time", m.launcherCreationTime().longValue());
      }
      g.writeArrayFieldStart("vm_processes");
      for (VmProcId p : m.vmProcesses()) {
        g.writeStartObject();
        g.writeNumberField("pid", p.pid());
        g.writeNumberField("creation_time", p.creationTime());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a marker to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  static Marker parse(byte[] bytes) throws MarkerFormatException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      Marker m = readMarker(p, bytes);
      JsonToken after;
      try {
        after = p.nextToken();
      } catch (JsonProcessingException e) {
        after = JsonToken.NOT_AVAILABLE;
      }
      if (after != null) {
        throw new MarkerFormatException("marker has data after its JSON object at byte "
            + p.currentTokenLocation().getByteOffset() + " (" + preview(bytes) + ")");
      }
      return m;
    } catch (MarkerFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new MarkerFormatException("marker is not JSON (" + preview(bytes) + "): " + firstLine(e));
    }
  }

  private static Marker readMarker(JsonParser p, byte[] bytes) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new MarkerFormatException("marker is not a JSON object (" + preview(bytes) + ")");
    }
    Long pid = null;
    Long creationTime = null;
    boolean creationTimeSeen = false;
    List<VmProcId> procs = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "launcher_pid" -> {
          once(pid != null, name);
          pid = u32(p, name);
        }
        case "launcher_creation_time" -> {
          once(creationTimeSeen, name);
          creationTimeSeen = true;
          creationTime = p.currentToken() == JsonToken.VALUE_NULL ? null : u63(p, name);
        }
        case "vm_processes" -> {
          once(procs != null, name);
          procs = processes(p);
        }
        default -> p.skipChildren();
      }
    }
    if (pid == null) {
      throw new MarkerFormatException("marker field launcher_pid is missing (" + preview(bytes) + ")");
    }
    return new Marker(pid, creationTime, procs == null ? List.of() : procs);
  }

  /** {@code null} means none (as a missing member does); otherwise an array of objects. */
  private static List<VmProcId> processes(JsonParser p) throws IOException {
    List<VmProcId> procs = new ArrayList<>();
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return procs;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new MarkerFormatException("marker field vm_processes is " + describe(p) + ", not an array");
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new MarkerFormatException("marker vm_processes[" + procs.size() + "] is " + describe(p)
            + ", not an object");
      }
      Long pid = null;
      Long creationTime = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("pid")) {
          once(pid != null, "vm_processes[].pid");
          pid = u32(p, "vm_processes[].pid");
        } else if (name.equals("creation_time")) {
          once(creationTime != null, "vm_processes[].creation_time");
          creationTime = u63(p, "vm_processes[].creation_time");
        } else {
          p.skipChildren();
        }
      }
      if (pid == null || creationTime == null) {
        throw new MarkerFormatException("marker field vm_processes[" + procs.size() + "]."
            + (pid == null ? "pid" : "creation_time") + " is missing");
      }
      procs.add(new VmProcId(pid, creationTime));
    }
    return procs;
  }

  private static void once(boolean seen, String field) throws MarkerFormatException {
    if (seen) {
      throw new MarkerFormatException("marker field " + field + " appears twice");
    }
  }

  private static long u32(JsonParser p, String field) throws IOException {
    long v = u63(p, field);
    if (v > VmProcId.MAX_PID) {
      throw new MarkerFormatException("marker field " + field + " = " + v + " is out of range 0.." + VmProcId.MAX_PID);
    }
    return v;
  }

  /** A non-negative integer that fits a signed long (FILETIMEs up to year 30828). */
  private static long u63(JsonParser p, String field) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      throw new MarkerFormatException("marker field " + field + " is null");
    }
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new MarkerFormatException("marker field " + field + " = " + describe(p)
          + " is not a non-negative integer");
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
      throw new MarkerFormatException("marker field " + field + " = " + clip(p.getText())
          + " is out of range 0.." + Long.MAX_VALUE);
    }
    return p.getLongValue();
  }

  /** The current value for a message: scalars as text, containers by kind. */
  private static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "the end of the input";
    }
    if (t == JsonToken.START_OBJECT) {
      return "an object";
    }
    if (t == JsonToken.START_ARRAY) {
      return "an array";
    }
    if (t == JsonToken.VALUE_STRING) {
      return "\"" + clip(p.getText()) + "\"";
    }
    return clip(p.getText());
  }

  private static String clip(String s) {
    String c = s.length() <= VALUE_CLIP ? s : s.substring(0, VALUE_CLIP) + "...";
    return c.replaceAll("\\p{Cntrl}", "?");
  }

  private static String firstLine(IOException e) {
    String m = String.valueOf(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static String preview(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, PREVIEW_BYTES), StandardCharsets.UTF_8);
    return bytes.length + " bytes, starting '" + s.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
