#!/usr/bin/env bash
# CI, second pass: the path every non-root user takes (no setpriv, bwrap's --unshare-user), which a
# root CI never exercises. Called by .ci/run as root after the root pass, so that pass has already
# filled root's Maven repository: this pass copies it and builds offline (nothing is downloaded twice).
#
# It creates the user $SK_CI_USER (default sandboxkit-ci), copies the checkout (tracked and untracked,
# never the build folders) into that user's home, then as that user:
#   1. runs the README's first command, `./sandboxkit run -- echo hello` (builds the jars on first use),
#      twice (the second run starts from the class-data archives the first one trained);
#   2. runs the whole test suite, `mvn -o -B -ntp verify`: the bubblewrap end-to-end tests, the CLI's
#      and the guest's process tests, with user namespaces. Tests that need root skip themselves and
#      say why (JUnit prints the reason).
# Exits non-zero when anything fails, or when unprivileged user namespaces do not work (the reason is
# printed: this pass must run, not silently vanish).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
user="${SK_CI_USER:-sandboxkit-ci}"

[[ "$(id -u)" == 0 ]] || { echo "unprivileged pass: must be started as root (it creates $user)" >&2; exit 1; }

if ! id -u "$user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash "$user"
fi
home="$(getent passwd "$user" | cut -d: -f6)"
as_user() {
  # A clean environment: only what a user's login shell would have, plus CI (the tests fail, rather
  # than skip, when CI promises bwrap and it is missing).
  runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin \
    LANG="${LANG:-C.UTF-8}" CI="${CI:-true}" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} "$@"
}

echo "== unprivileged pass as $(id "$user")"
sysctl kernel.unprivileged_userns_clone user.max_user_namespaces kernel.apparmor_restrict_unprivileged_userns 2>&1 || true
if ! err="$(as_user bwrap --unshare-all --bind / / true 2>&1)"; then
  echo "unprivileged pass: bwrap cannot create a user namespace as $user: $err" >&2
  echo "(what sandboxkit's doctor says about it follows once the jars are built)" >&2
  exit 1
fi

# The checkout, readable and writable by the user: tracked + untracked files, no build output.
work="$home/sandboxkit"
rm -rf "$work"
install -d -o "$user" -g "$user" -m 0755 "$work"
(cd "$src" && git ls-files -z --cached --others --exclude-standard) \
  | (cd "$src" && tar --null --no-recursion -T - -cf -) \
  | as_user tar -xf - -C "$work"
# shared/ sits beside the checkout in CI; the tests do not need it, but keep the layout.

# Root's Maven repository, seeded so the offline build finds everything the root pass downloaded.
m2_src="${SK_CI_M2:-$HOME/.m2/repository}"
if [[ -d "$m2_src" ]]; then
  rm -rf "$home/.m2"
  install -d -o "$user" -g "$user" -m 0700 "$home/.m2"
  cp -a "$m2_src" "$home/.m2/repository"
  chown -R "$user:$user" "$home/.m2/repository"
fi

t0=$SECONDS
echo "== as $user: ./sandboxkit run -- echo hello"
out="$(cd "$work" && as_user ./sandboxkit run -- echo hello)"
[[ "$out" == hello ]] || { echo "unprivileged pass: expected 'hello', got '$out'" >&2; exit 1; }
out="$(cd "$work" && as_user ./sandboxkit run -- echo hello)"
[[ "$out" == hello ]] || { echo "unprivileged pass: second run: expected 'hello', got '$out'" >&2; exit 1; }
(cd "$work" && as_user ./sandboxkit doctor) || { echo "unprivileged pass: doctor says not ready" >&2; exit 1; }
echo "== as $user: the README command passed ($((SECONDS - t0)) s)"

echo "== as $user: mvn -o -B -ntp verify"
(cd "$work" && as_user mvn -o -B -ntp verify)
bash "$src/.ci/no-leftover-bwrap.sh" "$work"
echo "== unprivileged pass done ($((SECONDS - t0)) s)"
