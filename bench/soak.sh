#!/usr/bin/env bash
# Soak: two replicas of the service on one PostgreSQL, client threads on loopback placing and releasing at random for
# DURATION, then an audit of every pool from the database (SoakIT). Builds the service (and the modules it needs)
# and runs that one integration test; prints its figures as markdown.
#
#   bench/soak.sh --out soak.md
#   DURATION=10m bench/soak.sh
#
# Environment:
#   DURATION   how long the clients run: 90s, 5m, or a bare number of seconds (default 5m)
#
# Arguments: --out FILE also writes the markdown to FILE.
#
# Exit status: 0 soaked and audited clean, 1 the build or the test failed (see the Maven output), 2 bad arguments.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=${DURATION:-5m}
FIGURES=web/target/soak/soak.md

log() {
    printf 'soak: %s\n' "$*" >&2
}

out=
while [[ $# -gt 0 ]]; do
    case $1 in
        --out)
            if [[ $# -lt 2 ]]; then
                log "--out needs a file. Maybe: --out soak.md"
                exit 2
            fi
            out=$2
            shift 2
            ;;
        *)
            log "unknown argument $1. Maybe --out FILE, with DURATION=5m in the environment."
            exit 2
            ;;
    esac
done

rm -f "$FIGURES"
log "running SoakIT for $DURATION"
# -am builds planner and db-migrations from this tree rather than trusting whatever snapshot ~/.m2 holds;
# -Dtest=NoSuchTest skips every unit test, -Dit.test picks the one integration test
if ! ./mvnw -B -ntp verify -pl web -am \
        -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
        -Dit.test=SoakIT "-Dmdevplan.soak.duration=$DURATION" >&2; then
    log "SoakIT failed. Maybe read web/target/failsafe-reports/ and the replicas' logs its message quotes."
    [[ -f $FIGURES ]] && cat "$FIGURES"
    exit 1
fi
cat "$FIGURES"
if [[ -n $out ]]; then
    cp "$FIGURES" "$out"
fi
