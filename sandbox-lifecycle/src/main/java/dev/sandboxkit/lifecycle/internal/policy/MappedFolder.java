package dev.sandboxkit.lifecycle.internal.policy;

import java.nio.file.Path;

/**
 * A host directory mapped into the sandbox at the same path.
 *
 * @param hostPath canonical (real) absolute path of an existing directory
 * @param readOnly true for a read-only mapping
 */
public record MappedFolder(Path hostPath, boolean readOnly) {
}
