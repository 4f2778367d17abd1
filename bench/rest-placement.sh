#!/usr/bin/env bash
# REST placement benchmark: starts the service on a fresh embedded database and a free port, imports a generated
# fleet, runs the planner's load generator against POST /api/v1/placements, then stops the service and removes every
# temporary file. Arguments go to `loadgen` as they are (e.g. --requests 20000 --concurrency 8 --warmup 60000 --out rest.md).
#
#   bench/rest-placement.sh --requests 20000 --concurrency 8 --warmup 30000
#   HOSTS=10000 bench/rest-placement.sh --requests 50000 --out rest-10k.md
#
# Environment:
#   HOSTS          fleet size (default 1000)
#   SEED           the fleet generator's seed (default 42); the request mix takes loadgen's --seed
#   PARENTS        parents per host, as `generate --parents` (default: the generator's host models, 1 to 8)
#   SERVICE_OPTS   JVM options of the service (default -Xmx2g -XX:+UseZGC: G1's young pauses, stretched by
#                  the load generator and PostgreSQL sharing the cores, set the p99)
#   LOADGEN_OPTS   JVM options of the load generator (default -Xmx1g)
#   PORT           the service's port (default: a free one)
#   BODY_LIMIT     cap of the fleet import (default 128M: a 10,000-host fleet is about 50 MB, over the service's 16M)
#   READY_TIMEOUT  seconds to wait for /q/health/ready (default 180)
#
# Exit status: loadgen's (0 clean, 1 overbooked pools, failed requests or no audit, 2 bad arguments), or 1 when the
# service does not start or refuses the fleet.
set -euo pipefail

cd "$(dirname "$0")/.."

HOSTS=${HOSTS:-1000}
SEED=${SEED:-42}
SERVICE_OPTS=${SERVICE_OPTS:--Xmx2g -XX:+UseZGC}
LOADGEN_OPTS=${LOADGEN_OPTS:--Xmx1g}
BODY_LIMIT=${BODY_LIMIT:-128M}
READY_TIMEOUT=${READY_TIMEOUT:-180}
PLANNER_JAR=planner/target/mdevplan-planner.jar
SERVICE_JAR=web/target/quarkus-app/quarkus-run.jar

log() {
    printf 'rest-placement: %s\n' "$*" >&2
}

# A port nothing listens on, from a range ephemeral ports rarely use.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    log "found no free port between 20000 and 40000. Maybe set PORT."
    return 1
}

if [[ ! -f $PLANNER_JAR || ! -f $SERVICE_JAR ]]; then
    log "building (./mvnw -q -o install -DskipTests)"
    ./mvnw -q -o install -DskipTests
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mdevplan-rest.XXXXXX")
service_pid=
status=1

stop_service() {
    if [[ -n $service_pid ]] && kill -0 "$service_pid" 2>/dev/null; then
        kill -TERM "$service_pid" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$service_pid" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$service_pid" 2>/dev/null; then
            log "the service did not stop within 60 s; killing it"
            kill -KILL "$service_pid" 2>/dev/null || true
        fi
        wait "$service_pid" 2>/dev/null || true
    fi
    service_pid=
    # A service killed outright leaves its embedded PostgreSQL running over the data directory.
    local postmaster="$tmp/data/postmaster.pid"
    if [[ -f $postmaster ]]; then
        local pg_pid
        pg_pid=$(head -n 1 "$postmaster" 2>/dev/null || true)
        if [[ $pg_pid =~ ^[0-9]+$ ]] && kill -0 "$pg_pid" 2>/dev/null; then
            kill -TERM "$pg_pid" 2>/dev/null || true
            sleep 2
        fi
    fi
}

cleanup() {
    local rc=$?
    stop_service
    if [[ $status -ne 0 && -f $tmp/service.log ]]; then
        log "the service's last log lines:"
        tail -n 30 "$tmp/service.log" >&2 || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=${PORT:-$(free_port)}
url="http://127.0.0.1:$port"
mkdir -p "$tmp/data"
# the service's admin token for this run: a fresh random one, given to the service and to loadgen by file
admin_token="mdp_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | cut -c1-43)"
install -m 0600 /dev/null "$tmp/admin.token"
printf '%s\n' "$admin_token" >"$tmp/admin.token"

log "starting the service on port $port (data in $tmp/data)"
# shellcheck disable=SC2086 # SERVICE_OPTS holds several options
MDEVPLAN_DATA_DIR="$tmp/data" java $SERVICE_OPTS \
    -Dmdevplan.demo-fleet.enabled=false \
    -Dmdevplan.auth.bootstrap-admin-token="$admin_token" \
    -Dquarkus.http.port="$port" \
    -Dmdevplan.limits.fleet-body="$BODY_LIMIT" \
    -Dquarkus.http.limits.max-body-size="$BODY_LIMIT" \
    -jar "$SERVICE_JAR" >"$tmp/service.log" 2>&1 &
service_pid=$!

waited=0
until curl -fsS -o /dev/null "$url/q/health/ready" 2>/dev/null; do
    if ! kill -0 "$service_pid" 2>/dev/null; then
        log "the service exited before it was ready"
        exit 1
    fi
    if ((waited >= READY_TIMEOUT)); then
        log "the service was not ready after $READY_TIMEOUT s. Maybe raise READY_TIMEOUT."
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done
log "ready after ${waited} s"

generate=(generate --hosts "$HOSTS" --seed "$SEED" --out "$tmp/fleet.json")
if [[ -n ${PARENTS:-} ]]; then
    generate+=(--parents "$PARENTS")
fi
# shellcheck disable=SC2086
java $LOADGEN_OPTS -jar "$PLANNER_JAR" "${generate[@]}"
log "importing a fleet of $HOSTS hosts ($(du -h "$tmp/fleet.json" | cut -f1))"
import_status=$(curl -sS -o "$tmp/import.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $admin_token" --data-binary "@$tmp/fleet.json" "$url/api/v1/fleet")
if [[ $import_status != 200 ]]; then
    log "the fleet import answered $import_status: $(head -c 2000 "$tmp/import.json")"
    exit 1
fi
log "imported: $(grep -o '"\(hosts\|parents\|devices\|placements\)" *: *[0-9]*' "$tmp/import.json" | tr -d ' "' | paste -sd ' ' -)"

set +e
# shellcheck disable=SC2086
java $LOADGEN_OPTS -jar "$PLANNER_JAR" loadgen --url "$url" --token-file "$tmp/admin.token" "$@"
status=$?
set -e
exit "$status"
