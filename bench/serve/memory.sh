#!/usr/bin/env bash
# $1 = label, rest = THIMBLE_JAVA_OPTS. Starts ./thimble serve on a copy of examples/todo, 16-client load for 40 s, RSS after.
# MEMORY_THIMBLE=/opt/thimble/bin/thimble: the installed image's serve instead of the clone's (its options: THIMBLE_JAVA_OPTIONS).
# MEMORY_OPS=1500: the load ends after that many operations instead (at most 180 s): the same work on a loaded machine.
label="$1"; shift
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=$(mktemp -d /tmp/thimble-serve-memory.XXXX)
cp -r examples/todo "$work/app"
export THIMBLE_JAVA_OPTS="$*"
JAVA_TOOL_OPTIONS="-Dthimble.home=$work/home" "${MEMORY_THIMBLE:-./thimble}" serve "$work/app" --port 0 --data "$work/data" > "$work/out.log" 2>&1 &
launcher=$!
for i in $(seq 1 240); do grep -q "Serving" "$work/out.log" && break; sleep 1; done
url=$(grep -o "at http://[^ ]*" "$work/out.log" | head -1 | sed 's/^at //')
pid=$(pgrep -P $launcher java || echo $launcher)
base=$(echo "$url" | sed 's#/api/client.*##')
appid=todo-thmbl
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' /proc/$pid/stat; }
echo "$label: url=$url pid=$pid base=$base appid=$appid rss_start=$(grep VmRSS /proc/$pid/status) server_cpu_at_start_s=$(cpu_s)"
if [ -n "${MEMORY_OPS:-}" ]; then node bench/serve/load.js "$base" "$appid" 180 "$MEMORY_OPS"; else node bench/serve/load.js "$base" "$appid" 40; fi
sleep 2
echo "$label: rss_after_run=$(grep VmRSS /proc/$pid/status) hwm=$(grep VmHWM /proc/$pid/status) load=$(cat /proc/loadavg)"
# The server's CPU time (user + system, from /proc) over its life; the line above has it when the load began: the load's
# CPU per operation depends less on the machine's load than operations per second do.
echo "$label: server_cpu_s=$(cpu_s)"
# MEMORY_THREADS=1: the server's CPU time by thread (user + system, threads grouped by name with digits dropped), the
# busiest first: which threads spent what (request workers, JIT compilers, GraalJS's compiler threads, GC).
if [ -n "${MEMORY_THREADS:-}" ]; then
  for t in /proc/$pid/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9' < "$t/comm" | sed 's/[ #-]*$//')" "$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done | awk -F'\t' -v t="$(getconf CLK_TCK)" -v l="$label" '{c[$1]+=$2; n[$1]++} END{for (k in c) printf "%s: threads %8.1f s %3d x %s\n", l, c[k]/t, n[k], k}' | sort -k3,3 -rn | head -15
fi
# MEMORY_SMAPS=1: the mappings that hold the most resident memory (size and RSS in kB, then the file, if any): the heap,
# the code cache and metaspace are single anonymous mappings of their reserved size, so this shows what each has touched.
if [ -n "${MEMORY_SMAPS:-}" ]; then
  awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6} /^Size:/{size=$2} /^Rss:/{print $2, size, name}' /proc/$pid/smaps \
    | sort -rn | head -12 | awk -v l="$label" '{printf "%s: smaps rss=%dkB size=%dkB %s\n", l, $1, $2, $3}'
  awk '/^Rss:/{t+=$2} /^Anonymous:/{a+=$2} END{printf "'"$label"': smaps total rss=%dkB anonymous=%dkB file=%dkB\n", t, a, t-a}' /proc/$pid/smaps
fi
# MEMORY_TRIM=1: then asks glibc to give back the free memory of its malloc arenas (what -XX:TrimNativeHeapInterval does
# periodically) and shows the RSS after: how much of the RSS is malloc'd memory already freed.
if [ -n "${MEMORY_TRIM:-}" ]; then
  "$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd" "$pid" System.trim_native_heap | sed "s/^/$label: /" | grep -v ":\s*$pid:$"
  echo "$label: rss_after_trim=$(grep VmRSS /proc/$pid/status)"
fi
# With -XX:NativeMemoryTracking=summary in the options: what holds the memory (heap, code cache, metaspace, threads, ...).
if [[ " $* " == *"NativeMemoryTracking"* ]]; then
  jcmd="$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd"
  "$jcmd" "$pid" VM.native_memory summary > "${MEMORY_NMT_OUT:-/tmp/thimble-nmt-$label.txt}" 2>&1
  "$jcmd" "$pid" GC.heap_info >> "${MEMORY_NMT_OUT:-/tmp/thimble-nmt-$label.txt}" 2>&1
  "$jcmd" "$pid" GC.class_histogram 2>&1 | head -80 >> "${MEMORY_NMT_OUT:-/tmp/thimble-nmt-$label.txt}"
  echo "$label: rss_after_full_gc=$(grep VmRSS /proc/$pid/status)"
  echo "$label: native memory summary in ${MEMORY_NMT_OUT:-/tmp/thimble-nmt-$label.txt}"
fi
kill $pid; wait $launcher 2>/dev/null
rm -rf "$work"
