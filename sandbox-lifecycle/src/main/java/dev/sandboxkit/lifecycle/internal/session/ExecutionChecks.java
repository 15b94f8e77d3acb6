package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.bridge.ExecCall;
import dev.sandboxkit.lifecycle.internal.bridge.ExecSpec;
import dev.sandboxkit.lifecycle.internal.vm.GuestPlatform;
import dev.sandboxkit.protocol.Capabilities;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.FrameTooLongException;
import java.util.Set;

/** What is checked of a request before it reaches the guest (all REJECTED, nothing sent). */
final class ExecutionChecks {
  static final String ENV = Capabilities.ENV;
  static final String CANCEL = Capabilities.CANCEL;

  private ExecutionChecks() {}

  /** The wire form of {@code request} as execution {@code execId}. */
  static ExecSpec spec(GuestPlatform platform, ExecutionRequest request, String execId) {
    return new ExecSpec(execId, platform.script(request.command()), request.workingDirectory(),
        request.timeoutMillisOnWire(), request.environment(), request.stdin().orElse(null),
        request.stdout().orElse(null), request.stderr().orElse(null));
  }

  /** The Exec frame must fit in one control frame (16 MiB). */
  static void frameSize(GuestPlatform platform, ExecutionRequest request) throws SandboxException {
    ExecSpec spec = spec(platform, request, "00000000-0000-0000-0000-000000000000");
    try {
      FrameCodec.encode(ExecCall.message(spec));
    } catch (FrameTooLongException e) {
      throw new SandboxException(FailurePhase.REJECTED,
          "the command line is too long for one control frame (limit " + FrameCodec.MAX_FRAME_LENGTH + " bytes)",
          e.getMessage() + "; pass large inputs through stdin or a mapped folder");
    }
  }

  /** What the guest must support for {@code request}. */
  static void guest(Set<String> capabilities, ExecutionRequest request) throws SandboxException {
    if (!request.environment().isEmpty() && !capabilities.contains(ENV)) {
      throw new SandboxException(FailurePhase.REJECTED,
          "the guest agent does not support environment variables (an mxc guest?)",
          "it did not announce the '" + ENV + "' capability; set the variables in the command line instead"
              + " (e.g. 'env K=V command'), or use the sandboxkit guest agent");
    }
  }
}
