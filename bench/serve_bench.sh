#!/bin/sh
# serve_bench.sh - requests per second of folio's server against nginx,
# serving the same output directory, asked for the same post page by wrk
# over keep-alive connections, in one run.
#
# Usage: bench/serve_bench.sh [OUTPUT_DIR]
#   OUTPUT_DIR   a `folio build` output; by default site/ is built with
#                build/folio when that works, else a one-post site is made
#                from the seed content.
# Environment: PAGE (URL path to fetch), DURATION (default 10s),
#   CONNECTIONS (50), WRK_THREADS (2), ROUNDS (3; the medians count),
#   FOLIO_PORT (18080), NGINX_PORT (18081).
# Both servers run without access logs and answer identity-encoded bodies
# (wrk sends no Accept-Encoding). nginx and wrk are installed when missing.
set -e
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-3}
FOLIO_PORT=${FOLIO_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

need=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx"
command -v wrk >/dev/null 2>&1 || need="$need wrk"
if [ -n "$need" ]; then
    echo "serve_bench: installing$need"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

make --no-print-directory build/bench/serve_dir >/dev/null

tmp=$(mktemp -d)
chmod 755 "$tmp"
folio_pid="" nginx_pid=""
cleanup() {
    [ -n "$folio_pid" ] && kill "$folio_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

dir=$1
if [ -z "$dir" ] && [ -x build/folio ] && [ -d site ] && build/folio build site -o "$tmp/out" >/dev/null 2>&1; then
    dir=$tmp/out
fi
if [ -z "$dir" ]; then
    # One realistic post page: the seed site's Russian news item in a page skeleton.
    seed=${FOLIO_SHARED:-$repo/../shared}/seed-site/user/pages/02.news/03.2023-01-09-practical-conference/item.ru.md
    dir=$tmp/out
    mkdir -p "$dir/ru/news/2023-01-09-practical-conference"
    {
        printf '<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"><title>Новости</title>'
        printf '<link rel="stylesheet" href="/theme/style.css"></head><body><header><nav>'
        for i in 1 2 3 4 5 6 7 8; do printf '<a href="/ru/section-%s/">Раздел %s</a>' "$i" "$i"; done
        printf '</nav></header><main><article>\n'
        if [ -f "$seed" ]; then sed 's/&/\&amp;/g; s/</\&lt;/g; s/^/<p>/; s/$/<\/p>/' "$seed"; fi
        printf '</article></main><footer>Гематологический центр, Алматы</footer></body></html>\n'
    } >"$dir/ru/news/2023-01-09-practical-conference/index.html"
fi
chmod -R a+rX "$dir" 2>/dev/null || true
if [ -z "$PAGE" ]; then
    PAGE=$(cd "$dir" && find . -path '*news/*/index.html' | sort | head -n 1 | sed 's|^\.||; s|index\.html$||')
fi
[ -n "$PAGE" ] || { echo "serve_bench: no news post in $dir; set PAGE" >&2; exit 1; }
size=$(wc -c <"$dir${PAGE}index.html")

cat >"$tmp/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    open_file_cache max=10000;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $dir;
        index index.html;
    }
}
CONF

"$NGINX" -c "$tmp/nginx.conf" &
nginx_pid=$!
build/bench/serve_dir "$dir" --port "$FOLIO_PORT" --quiet 2>"$tmp/folio.log" &
folio_pid=$!

wait_up() {
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$1$PAGE" && return 0
        sleep 0.1
    done
    echo "serve_bench: nothing answers on port $1" >&2
    exit 1
}
wait_up "$NGINX_PORT"
wait_up "$FOLIO_PORT"

# CPU ticks (user + system) used so far by a server: the process and all
# its descendants (a shell between us and the server, nginx's workers).
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

# One wrk run against a server; prints "REQ_PER_S CPU_US_PER_REQUEST". A
# run with socket errors or non-2xx answers does not count. CPU time per
# request is the steadier figure on a busy machine, where the requests
# per second also measure the neighbours.
measure() {
    before=$(cpu_ticks "$2")
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$1$PAGE" >"$tmp/wrk.out"
    after=$(cpu_ticks "$2")
    if grep -q -e 'Non-2xx' -e 'Socket errors' "$tmp/wrk.out"; then
        echo "serve_bench: port $1 answered with errors:" >&2
        cat "$tmp/wrk.out" >&2
        echo "0 0"
        return
    fi
    total=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk.out")
    awk -v r="$rps" -v t="$total" -v c=$((after - before)) -v hz="$HZ" \
        'BEGIN { printf "%s %.2f\n", r, (t > 0 ? c / hz * 1e6 / t : 0) }'
}

: >"$tmp/nginx.runs"
: >"$tmp/folio.runs"
for round in $(seq 1 "$ROUNDS"); do
    measure "$NGINX_PORT" "$nginx_pid" >>"$tmp/nginx.runs"
    measure "$FOLIO_PORT" "$folio_pid" >>"$tmp/folio.runs"
    n=$(tail -n 1 "$tmp/nginx.runs") f=$(tail -n 1 "$tmp/folio.runs")
    echo "round $round: nginx ${n% *} req/s (${n#* } us CPU/request), folio ${f% *} req/s (${f#* } us CPU/request)"
done

# Medians: steadier than the best run when neighbours come and go.
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{ v[NR] = $k } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
rps_nginx=$(median "$tmp/nginx.runs" 1) cpu_nginx=$(median "$tmp/nginx.runs" 2)
rps_folio=$(median "$tmp/folio.runs" 1) cpu_folio=$(median "$tmp/folio.runs" 2)

echo "page: $PAGE ($size bytes), $CONNECTIONS keep-alive connections, $WRK_THREADS wrk threads, $DURATION per run, $(nproc) cores, median of $ROUNDS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nginx: $rps_nginx requests/s, $cpu_nginx us CPU per request"
echo "folio: $rps_folio requests/s, $cpu_folio us CPU per request"
awk -v f="$rps_folio" -v n="$rps_nginx" -v fc="$cpu_folio" -v nc="$cpu_nginx" 'BEGIN {
    if (n > 0) printf "folio/nginx: %.2fx requests/s", f / n
    if (fc > 0) printf ", %.2fx CPU efficiency (nginx CPU per request / folio CPU per request)", nc / fc
    printf "\n"
}'
