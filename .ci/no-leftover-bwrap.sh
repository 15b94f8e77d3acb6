#!/usr/bin/env bash
# Fails when a bwrap started by this build is still running after its test run (issue 15.6): any
# bwrap process whose command line contains the checkout's path (every test sandbox binds the guest
# jar from it; the training sandboxes' folders are under its target/). Waits up to 10 s for teardown
# stragglers, then prints what is left, kills it (it is this build's) and exits 1.
# Usage: .ci/no-leftover-bwrap.sh CHECKOUT_DIR
set -euo pipefail
dir="$(cd "$1" && pwd)"
left() {
  local pid
  for pid in $(pgrep -f -- "$dir/" || true); do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == bwrap ]] && echo "$pid"
  done
  return 0
}
for _ in $(seq 100); do
  [[ -z "$(left)" ]] && { echo "no bwrap of $dir left running"; exit 0; }
  sleep 0.1
done
echo "LEAK: bwrap processes of this build still running after its tests:" >&2
for pid in $(left); do
  ps -o pid=,ppid=,stat=,user= -p "$pid" >&2 || true
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-400 >&2 || true
  echo >&2
  kill -9 "$pid" 2>/dev/null || true
done
exit 1
