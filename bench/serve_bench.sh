#!/bin/sh
# serve_bench.sh - requests per second of folio's server against nginx on
# the same post page of the same `folio build` output, measured by wrk over
# keep-alive connections from the same machine, in one run.
#
# Usage: bench/serve_bench.sh [OUTPUT_DIR...]
#   OUTPUT_DIR   `folio build` outputs to measure. By default two: the
#                example site (site/) and a synthetic 10,000-post site
#                (bench/gen_site), both built with build/folio.
# Environment:
#   ROUNDS (5)       rounds per site; each round runs both servers, in
#                    alternating order, so machine noise hits both alike
#   DURATION (5s)    one wrk run; WARMUP (2s) one unmeasured run first
#   CONNECTIONS (50), WRK_THREADS (2)
#   WORKERS (nproc)  nginx worker processes = folio worker threads
#   LOG (off)        off: neither server logs requests; file: both append
#                    one line per request to a log file, buffered (nginx
#                    buffer=32k flush=1s; folio batches per worker)
#   POSTS (10000)    posts of the synthetic site; BENCH_DIR where it is
#                    generated and built (default $TMPDIR/folio-serve-bench,
#                    reused by later runs)
#   PAGE             URL path to fetch (default: the first news post)
#   FOLIO_PORT (18080), NGINX_PORT (18081)
#   FOLIO_SERVER     the folio server program (default build/bench/serve_dir;
#                    another build's, to compare versions)
#
# Fairness: wrk sends only "GET PAGE HTTP/1.1" and Host, no
# Accept-Encoding, so both servers answer the identity body; the script
# checks that both answer 200 with byte-identical bodies before measuring.
# nginx serves files as recommended for static sites (sendfile, open file
# cache, one listening socket per worker like folio's SO_REUSEPORT, no
# keep-alive request limit) and sends the same extra headers folio sends
# (security headers, Cache-Control, Vary, charset), so the answers are
# the same size to within a few bytes. nginx and wrk are installed when
# missing.
set -e
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-2}
WORKERS=${WORKERS:-$(nproc)}
LOG=${LOG:-off}
POSTS=${POSTS:-10000}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/folio-serve-bench}
FOLIO_PORT=${FOLIO_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
FOLIO_SERVER=${FOLIO_SERVER:-build/bench/serve_dir}
case "$LOG" in off | file) ;; *) echo "serve_bench: LOG is off or file" >&2; exit 2 ;; esac

need=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx"
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v curl >/dev/null 2>&1 || need="$need curl"
if [ -n "$need" ]; then
    echo "serve_bench: installing$need"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

make --no-print-directory build/folio build/bench/serve_dir build/bench/gen_site >/dev/null

tmp=$(mktemp -d)
chmod 755 "$tmp"
folio_pid="" nginx_pid=""
stop_servers() {
    [ -n "$folio_pid" ] && kill "$folio_pid" 2>/dev/null && wait "$folio_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    folio_pid="" nginx_pid=""
    return 0
}
cleanup() {
    stop_servers
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The sites: those given, else the example site and the synthetic one.
if [ $# -eq 0 ]; then
    mkdir -p "$BENCH_DIR"
    echo "serve_bench: building the example site"
    rm -rf "$BENCH_DIR/example"
    build/folio build site -o "$BENCH_DIR/example" >"$BENCH_DIR/example.log" 2>&1 ||
        { echo "serve_bench: folio build site failed, see $BENCH_DIR/example.log" >&2; exit 1; }
    synthetic=$BENCH_DIR/posts-$POSTS
    if [ ! -d "$synthetic/out" ]; then
        echo "serve_bench: generating and building a $POSTS-post site in $synthetic"
        rm -rf "$synthetic"
        build/bench/gen_site "$POSTS" "$synthetic/user" >/dev/null
        build/folio build "$synthetic/user" -o "$synthetic/out.tmp" >"$synthetic/build.log" 2>&1 ||
            { echo "serve_bench: folio build failed, see $synthetic/build.log" >&2; exit 1; }
        mv "$synthetic/out.tmp" "$synthetic/out"
    fi
    set -- "$BENCH_DIR/example" "$synthetic/out"
fi

# CPU ticks (user + system) used so far by a server: the process and all
# its descendants (nginx's workers).
descendants() {
    echo "$1"
    for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do descendants "$c"; done
}
cpu_ticks() {
    for p in $(descendants "$1"); do
        awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null
    done | awk '{ s += $1 } END { print s + 0 }'
}
HZ=$(getconf CLK_TCK)

wait_up() {
    for _ in $(seq 1 3000); do
        curl -sf -o /dev/null "http://127.0.0.1:$1$PAGE" && return 0
        sleep 0.1
    done
    echo "serve_bench: nothing answers on port $1" >&2
    exit 1
}

# GNU time gives wrk's own CPU time, when installed.
TIME=""
[ -x /usr/bin/time ] && TIME=/usr/bin/time

# One wrk run; prints "REQ_PER_S SERVER_CPU_US_PER_REQUEST
# WRK_CPU_US_PER_REQUEST" (the last 0 without GNU time). A run with
# socket errors or non-2xx answers does not count.
measure() {
    port=$1 pid=$2 duration=$3
    before=$(cpu_ticks "$pid")
    echo "0 0" >"$tmp/wrk.cpu"
    if [ -n "$TIME" ]; then
        $TIME -f '%U %S' -o "$tmp/wrk.cpu" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$duration" "http://127.0.0.1:$port$PAGE" >"$tmp/wrk.out"
    else
        wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$duration" "http://127.0.0.1:$port$PAGE" >"$tmp/wrk.out"
    fi
    after=$(cpu_ticks "$pid")
    if grep -q -e 'Non-2xx' -e 'Socket errors' "$tmp/wrk.out"; then
        echo "serve_bench: port $port answered with errors:" >&2
        cat "$tmp/wrk.out" >&2
        echo "0 0 0"
        return
    fi
    total=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk.out")
    client=$(awk '{ print $1 + $2 }' "$tmp/wrk.cpu")
    awk -v r="$rps" -v t="$total" -v c=$((after - before)) -v hz="$HZ" -v w="$client" \
        'BEGIN { printf "%s %.2f %.2f\n", r, (t > 0 ? c / hz * 1e6 / t : 0), (t > 0 ? w * 1e6 / t : 0) }'
}

median() { sort -g -k"$2" "$1" | awk -v k="$2" '{ v[NR] = $k } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
column_min() { sort -g -k"$2" "$1" | head -n 1 | awk -v k="$2" '{ print $k }'; }
column_max() { sort -g -k"$2" "$1" | tail -n 1 | awk -v k="$2" '{ print $k }'; }

start_servers() {
    dir=$1
    if [ "$LOG" = file ]; then
        nginx_log="access_log $tmp/nginx-access.log clf buffer=32k flush=1s;"
        folio_log="--log $tmp/folio-access.log"
    else
        nginx_log="access_log off;"
        folio_log="--quiet"
    fi
    cat >"$tmp/nginx.conf" <<CONF
worker_processes $WORKERS;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    charset utf-8;
    log_format clf '\$remote_addr - - [\$time_local] "\$request" \$status \$body_bytes_sent';
    $nginx_log
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    open_file_cache max=100000 inactive=60s;
    open_file_cache_valid 60s;
    server_tokens off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT reuseport;
        root $dir;
        index index.html;
        add_header X-Content-Type-Options nosniff;
        add_header Referrer-Policy strict-origin-when-cross-origin;
        add_header X-Frame-Options SAMEORIGIN;
        add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";
        add_header Cache-Control no-cache;
        add_header Vary Accept-Encoding;
    }
}
CONF
    "$NGINX" -c "$tmp/nginx.conf" &
    nginx_pid=$!
    # shellcheck disable=SC2086 # folio_log is two words or one
    "$FOLIO_SERVER" "$dir" --port "$FOLIO_PORT" --threads "$WORKERS" $folio_log 2>"$tmp/folio.err" &
    folio_pid=$!
    wait_up "$NGINX_PORT"
    wait_up "$FOLIO_PORT"
}

# The same request as wrk's: both must answer 200 with the same body.
check_same_answer() {
    for s in nginx:$NGINX_PORT folio:$FOLIO_PORT; do
        name=${s%%:*} port=${s#*:}
        code=$(curl -s -H 'Accept-Encoding:' -D "$tmp/$name.head" -o "$tmp/$name.body" -w '%{http_code}' "http://127.0.0.1:$port$PAGE")
        [ "$code" = 200 ] || { echo "serve_bench: $name answered $code for $PAGE" >&2; exit 1; }
    done
    cmp -s "$tmp/nginx.body" "$tmp/folio.body" || { echo "serve_bench: the two bodies differ" >&2; exit 1; }
    echo "  both answer 200, body $(wc -c <"$tmp/folio.body") bytes identical, no Content-Encoding; header bytes: nginx $(wc -c <"$tmp/nginx.head"), folio $(wc -c <"$tmp/folio.head")"
}

echo "serve_bench: $(nproc) cores, $WORKERS workers each, $CONNECTIONS connections, $WRK_THREADS wrk threads, $ROUNDS rounds of $DURATION, access logs $LOG"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
given_page=$PAGE
for dir in "$@"; do
    dir=$(cd "$dir" && pwd)
    chmod -R a+rX "$dir" 2>/dev/null || true
    PAGE=$given_page
    if [ -z "$PAGE" ]; then
        PAGE=$(cd "$dir" && find . -path '*news/*/index.html' | sort | head -n 1 | sed 's|^\.||; s|index\.html$||')
    fi
    [ -n "$PAGE" ] || { echo "serve_bench: no news post in $dir; set PAGE" >&2; exit 1; }
    echo
    echo "site $dir ($(find "$dir" -type f | wc -l) files), page $PAGE"
    start_servers "$dir"
    check_same_answer
    measure "$NGINX_PORT" "$nginx_pid" "$WARMUP" >/dev/null
    measure "$FOLIO_PORT" "$folio_pid" "$WARMUP" >/dev/null
    : >"$tmp/rounds"
    for round in $(seq 1 "$ROUNDS"); do
        # Alternate who goes first, so a neighbour starting or stopping
        # does not always favour the same server.
        if [ $((round % 2)) -eq 1 ]; then
            n=$(measure "$NGINX_PORT" "$nginx_pid" "$DURATION")
            f=$(measure "$FOLIO_PORT" "$folio_pid" "$DURATION")
        else
            f=$(measure "$FOLIO_PORT" "$folio_pid" "$DURATION")
            n=$(measure "$NGINX_PORT" "$nginx_pid" "$DURATION")
        fi
        # rounds: nginx rps, CPU/req, wrk CPU/req; folio the same; ratio
        echo "$n $f" | awk '{ printf "%s %s %s %s %s %s %.3f\n", $1, $2, $3, $4, $5, $6, ($1 > 0 ? $4 / $1 : 0) }' >>"$tmp/rounds"
        tail -n 1 "$tmp/rounds" | awk -v r="$round" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
            '{ printf "  round %d: nginx %.0f req/s (CPU/req: server %.2f us, wrk %.2f us), folio %.0f req/s (server %.2f us, wrk %.2f us), folio/nginx %.2fx, load %s\n", r, $1, $2, $3, $4, $5, $6, $7, l }'
    done
    stop_servers
    if [ "$LOG" = file ]; then
        echo "  log lines: nginx $(wc -l <"$tmp/nginx-access.log"), folio $(wc -l <"$tmp/folio-access.log")"
        rm -f "$tmp/nginx-access.log" "$tmp/folio-access.log"
    fi
    echo "  median: nginx $(median "$tmp/rounds" 1) req/s (CPU/req: server $(median "$tmp/rounds" 2) us, wrk $(median "$tmp/rounds" 3) us), folio $(median "$tmp/rounds" 4) req/s (server $(median "$tmp/rounds" 5) us, wrk $(median "$tmp/rounds" 6) us)"
    echo "  folio/nginx per round: median $(median "$tmp/rounds" 7)x, range $(column_min "$tmp/rounds" 7)x to $(column_max "$tmp/rounds" 7)x"
    # What the whole loop (server and wrk) costs per request, from the
    # medians: the requests/s ratio to expect when CPU time is what limits.
    awk -v ns="$(median "$tmp/rounds" 2)" -v nw="$(median "$tmp/rounds" 3)" \
        -v fs="$(median "$tmp/rounds" 5)" -v fw="$(median "$tmp/rounds" 6)" 'BEGIN {
        if (fs > 0) printf "  CPU per request: server nginx/folio %.2fx; server + wrk nginx/folio %.2fx\n", ns / fs, (ns + nw) / (fs + fw)
    }'
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
