#!/usr/bin/env bash
# CI, third pass: the tests on the newest LTS JDK the machine has (Java 25, else 21), host and guest
# alike: Maven and the compiler stay on the baseline JDK (release 17), the forked test JVMs run on the
# newer one (surefire/failsafe's `jvm`), and everything they start follows their java.home (the
# library's host side, the guest agent mapped into each sandbox, the CLI and its launcher). So the
# end-to-end tests (bubblewrap and CLI) run with both JVMs on that JDK, which is where reflection into
# Netty, Unsafe reads of JDK fields and native access warnings would break first.
# Its own build folder (target-lts), so the baseline pass's output is untouched.
# When no such JDK is installed, one is installed from the distribution when it has one; when none
# can be had the pass is skipped with the reason printed.
set -euo pipefail
cd "$(dirname "$0")/.."

# REPLY = the feature version of the JDK at $1 (0 when it is not a JDK).
feature() {
  REPLY=0
  local line
  [[ -x "$1/bin/java" && -x "$1/bin/javac" && -r "$1/release" ]] || return 0
  line="$(grep -m1 '^JAVA_VERSION=' "$1/release" || true)"
  line="${line#JAVA_VERSION=\"}"
  line="${line%%[.\"]*}"
  [[ "$line" =~ ^[0-9]+$ ]] && REPLY="$line"
  return 0
}

# The newest LTS (21, 25, 29, ... : every 4th release from 21) under /usr/lib/jvm.
newest_lts() {
  local best="" best_v=0 d
  for d in /usr/lib/jvm/*/; do
    d="${d%/}"
    [[ -L "$d" ]] && continue
    feature "$d"
    if ((REPLY >= 21 && (REPLY - 21) % 4 == 0 && REPLY > best_v)); then
      best="$d"
      best_v=$REPLY
    fi
  done
  echo "$best"
}

jdk="${SK_LTS_JDK:-$(newest_lts)}"
if [[ -z "$jdk" ]] && command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
    if apt-get install -y -qq "$pkg" >/dev/null 2>&1; then
      echo "installed $pkg"
      break
    fi
  done
  jdk="$(newest_lts)"
fi
if [[ -z "$jdk" ]]; then
  echo "newest-LTS pass SKIPPED: no JDK 21/25 in /usr/lib/jvm and none installable from the distribution (set SK_LTS_JDK=/path/to/jdk)"
  exit 0
fi

feature "$jdk"
echo "== newest-LTS pass: tests on Java $REPLY ($jdk)"
"$jdk/bin/java" -version
t0=$SECONDS
mvn -o -B -ntp verify -Dsk.build.dir=target-lts "-Djvm=$jdk/bin/java"
bash .ci/no-leftover-bwrap.sh .
echo "== newest-LTS pass done ($((SECONDS - t0)) s)"
