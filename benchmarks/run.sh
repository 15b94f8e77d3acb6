#!/usr/bin/env bash
# Whole-process figures for sandboxkit (issue 7). Prints one line per figure:
#   name value unit floor ratio        ("-" where a figure has no floor)
# Floors are measured in the same run, on the same machine, with the same command lines:
#   - host JVM start:         java <launcher flags> -cp TMP Empty          (empty main class)
#   - bwrap floor:            the bubblewrap driver's own bwrap argv (BwrapCommand.build), /bin/true
#                             instead of the guest JVM
#   - guest JVM in bwrap:     the driver's full argv with an empty-main jar mapped as the guest jar
#   - raw pipe:               head -c N /dev/zero | cat > /dev/null
# Sessions (issue 12; floor/SessionBench.java, one host JVM, floors measured in that JVM):
#   - warm exec:              median of sandbox.exec("true") in one live sandbox (BENCH_EXECS, default
#                             200) next to ProcessBuilder("sh","-c","true") in the same JVM
#   - session start:          median of Sandbox.builder(..).start() to ready (BENCH_RUNS of them),
#                             to compare with oneshot_true_latency_ms minus the host JVM start
#   - session stdout 1 GiB:   net of the warm exec, next to head -c 1G /dev/zero read from a
#                             ProcessBuilder pipe in the same JVM
#   - session stdin 256 MiB:  cat > /dev/null reading a pipe (FIFO) as its stdin, net of the warm
#                             exec, next to head -c 256M /dev/zero | cat > /dev/null from the same JVM
# one-shot floor = host JVM start + guest JVM in bwrap; ratio = figure / floor (latency: lower is
# better; throughput: sandbox / raw pipe).
# Memory: peak RSS (VmHWM) of the host CLI JVM and of the guest agent JVM (the java process below
# bwrap, found from the host through /proc), polled every ~10 ms until each exits.
#
# Runs on a fresh clone: builds what it needs (mvn -q -B -ntp -DskipTests package) when a jar is
# missing. Needs Linux, bwrap, a JDK 17 (javac, jar), Maven for the build. Root or not.
# Env: SANDBOXKIT_BUILD_DIR (default target), BENCH_RUNS (latency samples, default 10),
#      BENCH_STREAM_RUNS (default 3), BENCH_EXECS (warm session execs, default 200), BENCH_SKIP_JMH=1, BENCH_BUILD=1 (force a build),
#      BENCH_LATENCY_ONLY=1 (stop after the latency figures),
#      SANDBOXKIT_NO_CDS=1 (the launcher without its AppCDS archive),
#      BENCH_AOT=1 (only the archive A/B: none vs class-data archive vs AOT cache, CLI and guest side;
#      run it with JAVA_HOME pointing at a Java 25+ runtime for the AOT variants).
#      BENCH_AB=1 (only the A/B of the start-up speed-ups, then stop; BENCH_AB_RUNS samples each,
#      default 15): `run -- true` with every speed-up on, and with each one off alone, interleaved
#      in the same loop (round-robin, so the machine's load hits every variant alike), next to the
#      host JVM start floor. Prints "ab NAME on_ms off_ms delta_ms" (delta = off - on: what the
#      speed-up saves) and "ab_noise" (the all-on samples' quartiles): a delta well inside that
#      spread is not shown to pay.
# The CLI is run through ./sandboxkit (SANDBOXKIT_NO_BUILD=1), exactly as a user runs it.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${SANDBOXKIT_BUILD_DIR:-target}"
runs="${BENCH_RUNS:-10}"
stream_runs="${BENCH_STREAM_RUNS:-3}"
execs="${BENCH_EXECS:-200}"
cli_jar="$repo/host-cli/$build_dir/sandboxkit.jar"
guest_jar="$repo/guest-agent/$build_dir/sandboxkit-guest.jar"
bench_jar="$repo/benchmarks/$build_dir/benchmarks.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac_bin="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
jar_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jar"

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }

[[ "$(uname -s)" == Linux ]] || die "needs Linux (bubblewrap)"
command -v bwrap >/dev/null || die "bwrap is not installed: apt-get install bubblewrap"
for t in "$java_bin" "$javac_bin" "$jar_bin" awk sort; do
  command -v "$t" >/dev/null || die "$t not found (a JDK 17+ is needed: apt-get install openjdk-17-jdk-headless)"
done

if [[ -n "${BENCH_BUILD:-}" || ! -f "$cli_jar" || ! -f "$guest_jar" || ! -f "$bench_jar" ]]; then
  command -v mvn >/dev/null || die "Maven is needed to build the jars: apt-get install maven"
  log "building (mvn -q -B -ntp -Dsk.build.dir=$build_dir -DskipTests package)"
  (cd "$repo" && mvn -q -B -ntp -Dsk.build.dir="$build_dir" -DskipTests package) >&2
fi
for j in "$cli_jar" "$guest_jar" "$bench_jar"; do [[ -f "$j" ]] || die "the build did not produce $j"; done

# The launcher's JVM flags (./sandboxkit), read from the script so the two never drift apart.
mapfile -t launcher_flags < <(sed -n '/^java_cmd=(/,/)/p' "$repo/sandboxkit" \
  | tr -d '()"' | sed 's/^java_cmd=//' | tr ' ' '\n' | sed '/^$/d' | grep -v '^\$java_bin$' \
  | sed "s|\$guest_jar|$guest_jar|")
((${#launcher_flags[@]} > 0)) || launcher_flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto "-Dsandboxkit.guest.jar=$guest_jar")
log "host JVM flags (from ./sandboxkit): ${launcher_flags[*]}"
# The CLI runs through the launcher itself (no build check), so its AppCDS archive counts as it does
# for users; the warm-up run below creates the archive. SANDBOXKIT_NO_CDS=1 measures without it.
cli=(env SANDBOXKIT_NO_BUILD=1 "SANDBOXKIT_BUILD_DIR=$build_dir" "$repo/sandboxkit")

tmp="$(mktemp -d)"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
chmod 755 "$tmp"

# ---- helpers ----
now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "nan"; exit} if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# time_ms CMD... : wall time of one run in ms (stdout/stderr discarded, must exit 0)
time_ms() {
  local t0 t1
  t0=$(now_ns)
  "$@" >/dev/null 2>"$tmp/last.err" </dev/null || { cat "$tmp/last.err" >&2; die "command failed: $*"; }
  t1=$(now_ns)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", (b-a)/1e6}'
}
median_ms() { local i; for ((i = 0; i < runs; i++)); do time_ms "$@"; done | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b+0 == 0) print "-"; else printf "%.2f\n", a/b}'; }
figure() { printf '%s %s %s %s %s\n' "$1" "$2" "$3" "${4:--}" "${5:--}"; }

# ---- floors ----
printf 'public final class Empty { public static void main(String[] a) {} }\n' >"$tmp/Empty.java"
"$javac_bin" -d "$tmp" "$tmp/Empty.java"
(cd "$tmp" && "$jar_bin" cfe Empty.jar Empty Empty.class)
chmod 644 "$tmp/Empty.jar" "$tmp/Empty.class"
mkdir -p "$tmp/rdv"
floor_argv() { # mode -> the driver's bwrap argv (NUL-separated) into the named array
  local -n out=$2
  mapfile -d '' out < <("$java_bin" -cp "$cli_jar" "$repo/benchmarks/floor/BwrapFloor.java" "$1" "$tmp/Empty.jar" "$tmp/rdv")
  ((${#out[@]} > 5)) || die "could not build the bwrap floor command line"
}
floor_argv true bwrap_true
floor_argv jvm bwrap_jvm
log "bwrap floor argv: ${bwrap_true[*]}"

log "warming up (page cache, CDS)"
time_ms "${cli[@]}" run -- true >/dev/null
time_ms "${bwrap_jvm[@]}" >/dev/null

# ---- AOT cache vs class-data archive vs none (issue 16.1), BENCH_AOT=1: these figures only ----
# Per side, the other side fixed at the launcher's default, all variants interleaved in one loop (the
# machine's other load hits them alike), in a private cache folder. CLI side: the CLI jar started the
# way the launcher starts it (its flags; -Xshare:auto replaced by -XX:AOTCache for the AOT variant),
# with no archive (the JDK's default CDS), the launcher's cli-*.jsa, the launcher's cli-*.aot. Guest
# side: ./sandboxkit with -Dsandboxkit.cds=false, -Dsandboxkit.aot=false, and neither. On a runtime
# below Java 25 the AOT variants are skipped (the flags do not exist or are not used there).
if [[ -n "${BENCH_AOT:-}" ]]; then
  export XDG_CACHE_HOME="$tmp/cache"
  ab_dir="$XDG_CACHE_HOME/sandboxkit/cds"
  SANDBOXKIT_NO_AOT=1 "${cli[@]}" run -- true >/dev/null # trains cli-*.jsa and the guest's class-data archive
  "${cli[@]}" run -- true >/dev/null                     # trains cli-*.aot and the guest's AOT cache (Java 25+)
  "${cli[@]}" run -- true >/dev/null
  cli_jsa=("$ab_dir"/cli-*.jsa)
  cli_aot=("$ab_dir"/cli-*.aot)
  [[ -f "${cli_jsa[0]}" ]] || die "the launcher trained no class-data archive in $ab_dir"
  aot_variants=(none cds)
  [[ -f "${cli_aot[0]}" ]] && aot_variants+=(aot)
  log "archive A/B ($(ls "$ab_dir" | tr '\n' ' ')): ${aot_variants[*]}, $runs rounds"
  no_share=()
  for f in "${launcher_flags[@]}"; do [[ "$f" == -Xshare:auto ]] || no_share+=("$f"); done
  cli_side() { # variant -> c: the CLI JVM's command line for `run -- true`
    case "$1" in
      none) c=("$java_bin" "${launcher_flags[@]}") ;;
      cds) c=("$java_bin" "${launcher_flags[@]}" "-XX:SharedArchiveFile=${cli_jsa[0]}") ;;
      aot) c=("$java_bin" "${no_share[@]}" "-XX:AOTCache=${cli_aot[0]}" "-Xlog:aot*=off:stderr") ;;
    esac
    c+=(-jar "$cli_jar" run -- true)
  }
  guest_opts() { case "$1" in none) echo "-Dsandboxkit.cds=false" ;; cds) echo "-Dsandboxkit.aot=false" ;; aot) echo "" ;; esac; }
  : >"$tmp/ab.txt"
  for ((i = 0; i < runs; i++)); do
    echo "floor $(time_ms "$java_bin" "${launcher_flags[@]}" -cp "$tmp" Empty)" >>"$tmp/ab.txt"
    for v in "${aot_variants[@]}"; do
      cli_side "$v"
      echo "cli_$v $(time_ms "${c[@]}")" >>"$tmp/ab.txt"
      echo "guest_$v $(time_ms env "SANDBOXKIT_JAVA_OPTS=$(guest_opts "$v")" "${cli[@]}" run -- true)" >>"$tmp/ab.txt"
    done
  done
  ab() { awk -v k="$1" '$1 == k {print $2}' "$tmp/ab.txt" | median; }
  ab_floor=$(ab floor)
  figure floor_host_jvm_start_ms "$ab_floor" ms
  for side in cli guest; do
    base=$(ab "${side}_none")
    for v in "${aot_variants[@]}"; do
      figure "archive_${side}_${v}_oneshot_true_ms" "$(ab "${side}_$v")" ms "$base" "$(ratio "$(ab "${side}_$v")" "$base")"
    done
  done
  exit 0
fi

if [[ -n "${BENCH_AB:-}" ]]; then
  # name=environment of the "off" variant (speed-ups: docs/architecture.md, "Start-up speed-ups")
  ab_variants=(
    "all-on="
    "guest-cds=SANDBOXKIT_SPEEDUPS_OFF=guest-cds"
    "cli-cds=SANDBOXKIT_NO_CLI_CDS=1"
    "prestart=SANDBOXKIT_SPEEDUPS_OFF=prestart"
    "all-off=SANDBOXKIT_SPEEDUPS_OFF=all SANDBOXKIT_NO_CDS=1"
  )
  ab_runs="${BENCH_AB_RUNS:-15}"
  log "A/B: ${#ab_variants[@]} variants + the host JVM floor, $ab_runs rounds, interleaved"
  n=${#ab_variants[@]}
  for ((i = 0; i < ab_runs; i++)); do
    time_ms "$java_bin" "${launcher_flags[@]}" -cp "$tmp" Empty >>"$tmp/ab-floor"
    for ((k = 0; k < n; k++)); do # each round starts one variant later: no variant always follows the same one
      v="${ab_variants[$(((i + k) % n))]}"
      read -r -a v_env <<<"${v#*=}"
      time_ms env "${v_env[@]}" "${cli[@]}" run -- true >>"$tmp/ab-${v%%=*}"
    done
  done
  figure floor_host_jvm_start_ms "$(median <"$tmp/ab-floor")" ms
  on=$(median <"$tmp/ab-all-on")
  # the noise to judge a delta against: the interquartile range of the all-on samples
  printf 'ab_noise all-on p25 %s p75 %s\n' $(sort -n "$tmp/ab-all-on" | awk '{a[NR]=$1} END {print a[int((NR+3)/4)], a[int((3*NR+3)/4)]}')
  for v in "${ab_variants[@]}"; do
    name="${v%%=*}"
    [[ "$name" != all-on ]] || continue
    off=$(median <"$tmp/ab-$name")
    printf 'ab %s %s %s %s\n' "$name" "$on" "$off" "$(awk -v a="$off" -v b="$on" 'BEGIN {printf "%+.1f", a-b}')"
  done
  exit 0
fi

host_jvm=$(median_ms "$java_bin" "${launcher_flags[@]}" -cp "$tmp" Empty)
bwrap_t=$(median_ms "${bwrap_true[@]}")
guest_jvm=$(median_ms "${bwrap_jvm[@]}")
oneshot=$(median_ms "${cli[@]}" run -- true)
floor=$(awk -v a="$host_jvm" -v b="$guest_jvm" 'BEGIN {printf "%.1f\n", a+b}')
figure floor_host_jvm_start_ms "$host_jvm" ms
figure floor_bwrap_true_ms "$bwrap_t" ms
figure floor_guest_jvm_in_bwrap_ms "$guest_jvm" ms
figure oneshot_true_latency_ms "$oneshot" ms "$floor" "$(ratio "$oneshot" "$floor")"
# Session exec (issue 12): `sandboxkit exec ID -- true` against a started sandbox, wall time, median
# of >= 20; its floor is the host JVM start alone (the sandbox is already up). Target: floor + 40 ms.
session_id="$("${cli[@]}" start -q)" || die "sandboxkit start failed"
cleanup() { "${cli[@]}" stop "$session_id" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
"${cli[@]}" exec "$session_id" -- true >/dev/null # warm-up
exec_runs=$((runs < 20 ? 20 : runs))
session_exec=$(for ((i = 0; i < exec_runs; i++)); do time_ms "${cli[@]}" exec "$session_id" -- true; done | median)
figure session_exec_true_latency_ms "$session_exec" ms "$host_jvm" "$(ratio "$session_exec" "$host_jvm")"
figure session_exec_over_host_jvm_ms "$(awk -v a="$session_exec" -v b="$host_jvm" 'BEGIN {printf "%.1f\n", a-b}')" ms
"${cli[@]}" stop "$session_id" >/dev/null 2>&1 || true
[[ -z "${BENCH_LATENCY_ONLY:-}" ]] || exit 0

# ---- stream throughput ----
out_bytes=1073741824
in_bytes=268435456
mbps() { awk -v n="$1" -v ms="$2" 'BEGIN {if (ms <= 0) print "nan"; else printf "%.0f\n", n/1e6/(ms/1000)}'; }
raw_pipe_ms() { local t0 t1; t0=$(now_ns); head -c "$1" /dev/zero | cat >/dev/null; t1=$(now_ns); awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", (b-a)/1e6}'; }
sandbox_out_ms() { time_ms "${cli[@]}" run -- head -c "$out_bytes" /dev/zero; }
sandbox_in_ms() {
  local t0 t1
  t0=$(now_ns)
  head -c "$in_bytes" /dev/zero | "${cli[@]}" run -- sh -c 'cat > /dev/null' >/dev/null
  t1=$(now_ns)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", (b-a)/1e6}'
}
raw_out=$(for ((i = 0; i < stream_runs; i++)); do raw_pipe_ms "$out_bytes"; done | median)
raw_in=$(for ((i = 0; i < stream_runs; i++)); do raw_pipe_ms "$in_bytes"; done | median)
sb_out=$(for ((i = 0; i < stream_runs; i++)); do sandbox_out_ms; done | median)
sb_in=$(for ((i = 0; i < stream_runs; i++)); do sandbox_in_ms; done | median)
# Net = the stream's share: the run's wall time minus the median one-shot `true` latency.
net_out=$(awk -v a="$sb_out" -v b="$oneshot" 'BEGIN {printf "%.1f\n", a-b}')
net_in=$(awk -v a="$sb_in" -v b="$oneshot" 'BEGIN {printf "%.1f\n", a-b}')
raw_out_mbps=$(mbps "$out_bytes" "$raw_out")
raw_in_mbps=$(mbps "$in_bytes" "$raw_in")
gross_out_mbps=$(mbps "$out_bytes" "$sb_out")
gross_in_mbps=$(mbps "$in_bytes" "$sb_in")
net_out_mbps=$(mbps "$out_bytes" "$net_out")
net_in_mbps=$(mbps "$in_bytes" "$net_in")
figure floor_raw_pipe_1GiB_MBps "$raw_out_mbps" MB/s
figure stream_stdout_1GiB_net_MBps "$net_out_mbps" MB/s "$raw_out_mbps" "$(ratio "$net_out_mbps" "$raw_out_mbps")"
figure stream_stdout_1GiB_gross_MBps "$gross_out_mbps" MB/s "$raw_out_mbps" "$(ratio "$gross_out_mbps" "$raw_out_mbps")"
figure floor_raw_pipe_256MiB_MBps "$raw_in_mbps" MB/s
figure stream_stdin_256MiB_net_MBps "$net_in_mbps" MB/s "$raw_in_mbps" "$(ratio "$net_in_mbps" "$raw_in_mbps")"
figure stream_stdin_256MiB_gross_MBps "$gross_in_mbps" MB/s "$raw_in_mbps" "$(ratio "$gross_in_mbps" "$raw_in_mbps")"

# ---- sessions (a live sandbox, in-process) ----
log "sessions: $execs warm execs, $runs starts, $stream_runs x 1 GiB"
"$java_bin" -cp "$cli_jar" "-Dsandboxkit.guest.jar=$guest_jar" "$repo/benchmarks/floor/SessionBench.java" \
  "$execs" "$runs" "$stream_runs" 2>"$tmp/session.err" || { cat "$tmp/session.err" >&2; die "SessionBench failed"; }

# ---- memory ----
descendants() { local p; for p in $(pgrep -P "$1" || true); do echo "$p"; descendants "$p"; done; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }
# peak_rss CMD... : runs CMD in the background; prints "host_kib guest_kib" (VmHWM polled ~10 ms).
peak_rss() {
  "$@" >/dev/null 2>&1 </dev/null &
  local pid=$! host=0 guest=0 h g p
  while kill -0 "$pid" 2>/dev/null; do
    h=$(hwm_kib "$pid"); [[ -n "$h" && "$h" -gt "$host" ]] && host=$h
    for p in $(descendants "$pid"); do
      [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == java ]] || continue
      g=$(hwm_kib "$p"); [[ -n "$g" && "$g" -gt "$guest" ]] && guest=$g
    done
    sleep 0.01
  done
  wait "$pid" || die "memory run failed: $*"
  echo "$host $guest"
}
mem_true=()
for ((i = 0; i < 3; i++)); do mem_true+=("$(peak_rss "${cli[@]}" run -- true)"); done
host_true=$(printf '%s\n' "${mem_true[@]}" | awk '{print $1}' | median)
guest_true=$(printf '%s\n' "${mem_true[@]}" | awk '{print $2}' | median)
read -r host_stream guest_stream < <(peak_rss "${cli[@]}" run -- head -c "$out_bytes" /dev/zero)
mib() { awk -v k="$1" 'BEGIN {printf "%.1f\n", k/1024}'; }
figure mem_host_cli_peak_rss_oneshot_true_MiB "$(mib "$host_true")" MiB 128 "$(ratio "$(mib "$host_true")" 128)"
figure mem_guest_agent_peak_rss_oneshot_true_MiB "$(mib "$guest_true")" MiB 64 "$(ratio "$(mib "$guest_true")" 64)"
figure mem_host_cli_peak_rss_1GiB_stdout_MiB "$(mib "$host_stream")" MiB 128 "$(ratio "$(mib "$host_stream")" 128)"
figure mem_guest_agent_peak_rss_1GiB_stdout_MiB "$(mib "$guest_stream")" MiB 64 "$(ratio "$(mib "$guest_stream")" 64)"

# ---- JMH ----
if [[ -z "${BENCH_SKIP_JMH:-}" ]]; then
  log "JMH (1 fork, 2x1 s warmup, 3x1 s measurement, -prof gc)"
  "$java_bin" -jar "$bench_jar" -f 1 -wi 2 -w 1 -i 3 -r 1 -prof gc -rf csv -rff "$tmp/jmh.csv" >"$tmp/jmh.log" 2>&1 \
    || { cat "$tmp/jmh.log" >&2; die "JMH failed"; }
  # CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"[,"Param: message"]
  awk -F, 'NR > 1 {
      gsub(/["\r]/, ""); b = $1; sub(/^dev\.sandboxkit\.benchmarks\./, "", b); p = (NF >= 8 && $8 ~ /[A-Za-z0-9]/) ? "_" $8 : "";
      if (b ~ /:gc\.alloc\.rate\.norm$/) { sub(/:gc\.alloc\.rate\.norm$/, "", b); printf "jmh_%s%s_alloc %.1f B/op - -\n", b, p, $5 }
      else if (b !~ /:/) { printf "jmh_%s%s %.0f %s - -\n", b, p, $5, $7 }
    }' "$tmp/jmh.csv"
fi
