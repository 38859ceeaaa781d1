# server_lib.sh: start a real `kexlab serve` for a test and stop it on exit.
#   srv_start [serve options...]   sets SRV_PID, SRV_URL, SRV_FP, SRV_LOG
#   srv_stop                       SIGTERM, wait; returns the exit status
# The server binds port 0 (the kernel picks a free port) and prints the port;
# readiness is polled on GET /v1/health. Every server is killed by the EXIT
# trap, whatever happens to the test. Traffic goes to 127.0.0.1 only.
# Servers start with --drain-timeout 0: SIGTERM stops them at once, as these
# tests expect (draining is tests/deploy's subject); an option given to
# srv_start comes later and wins.
SRV_PIDS=()
srv_cleanup() {
  for p in "${SRV_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$T_TMP"
}
trap srv_cleanup EXIT

srv_start() {
  local dir="$T_TMP/srv$$.$RANDOM"
  mkdir -p "$dir"
  SRV_LOG="$dir/stderr"
  "$KEXLAB" serve --listen 127.0.0.1:0 --data-dir "$dir/data" --drain-timeout 0 "$@" \
    >"$dir/stdout" 2>"$SRV_LOG" &
  SRV_PID=$!
  SRV_PIDS+=("$SRV_PID")
  local i port=""
  for i in $(seq 1 300); do
    port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$dir/stdout")
    [ -n "$port" ] && break
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "server did not start:" >&2; cat "$SRV_LOG" >&2; return 1
  fi
  SRV_URL="http://127.0.0.1:$port"
  SRV_FP=$(sed -n 's|^identity sha256:\([0-9a-f]*\).*|\1|p' "$dir/stdout")
  SRV_DIR="$dir"
  for i in $(seq 1 300); do
    curl -s -o /dev/null --max-time 2 "$SRV_URL/v1/health" && return 0
    sleep 0.1
  done
  echo "server not healthy" >&2; return 1
}

# srv_stop [timeout seconds [signal]]: SIGTERM (or the signal given, e.g.
# INT), wait up to the timeout. Sets SRV_STATUS (137 if it had to be killed)
# and SRV_STOP_SECONDS.
srv_stop() {
  local limit=${1:-10} sig=${2:-TERM} i t0 t1
  t0=$(date +%s.%N)
  kill -"$sig" "$SRV_PID" 2>/dev/null
  for i in $(seq 1 $((limit * 20))); do
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.05
  done
  t1=$(date +%s.%N)
  SRV_STOP_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  if kill -0 "$SRV_PID" 2>/dev/null; then
    kill -KILL "$SRV_PID"; wait "$SRV_PID" 2>/dev/null; SRV_STATUS=137; return
  fi
  wait "$SRV_PID"; SRV_STATUS=$?
}

# http METHOD PATH [curl args...]: prints "<status>" and leaves the body in $T_TMP/body.
http() {
  local m=$1 p=$2; shift 2
  curl -s -o "$T_TMP/body" -w '%{http_code}' --max-time 30 -X "$m" "$@" "$SRV_URL$p"
}

# expect_status WANT METHOD PATH [curl args...]
expect_status() {
  local want=$1; shift
  local got; got=$(http "$@")
  if [ "$got" = "$want" ]; then t_ok; else
    t_fail "status $got (want $want): $*"; head -c 300 "$T_TMP/body" | sed 's/^/  body: /' >&2; fi
}

# expect_error_code CODE: the last body is {"error": CODE, ...}
expect_error_code() {
  local got; got=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$T_TMP/body" 2>/dev/null)
  expect_eq "$1" "$got" "error code"
}
