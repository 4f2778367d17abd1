#!/usr/bin/env bash
# The host executor in the kernel lab's VM (docs/kernel-lab.md): start time, and apply's actions per second against
# raw writes of the same actions by a shell loop. Runs KernelBenchmarkIT, the lab's measuring boot, which
# `./mvnw verify` leaves out; needs root, like the lab. Prints the results as markdown.
#
#   bench/kernel-lab.sh --out kernel-lab.md
#
# Arguments: --out FILE also writes the markdown to FILE.
# Exit status: 0 measured, 1 the run failed (its log is in host-executor/target/kernel-lab/), 2 bad arguments.
set -euo pipefail

cd "$(dirname "$0")/.."

out=
while [ $# -gt 0 ]; do
    case $1 in
        --out) out=${2:?--out needs a file}; shift 2 ;;
        *) echo "kernel-lab: unknown argument $1. Maybe --out FILE." >&2; exit 2 ;;
    esac
done

results=host-executor/target/kernel-lab/benchmarks.md
rm -f "$results"
if ! ./mvnw -q -B verify -pl host-executor -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
        -Dit.test=KernelBenchmarkIT -Dkernel.lab.excluded-groups= -Dfailsafe.failIfNoSpecifiedTests=false; then
    echo "kernel-lab: the measuring boot failed; its log is under host-executor/target/kernel-lab/" >&2
    exit 1
fi
if [ ! -s "$results" ]; then
    echo "kernel-lab: the boot wrote no $results. Maybe the lab was skipped on this machine (not root?)." >&2
    exit 1
fi
cat "$results"
if [ -n "$out" ]; then
    cp "$results" "$out"
    echo "kernel-lab: written to $out" >&2
fi
