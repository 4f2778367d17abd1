#!/usr/bin/env bash
# Host executor benchmark: the runnable jar's start time (wall time of `--version` and of `inventory` on a fake sysfs
# tree, RUNS launches each, median and p90) and the plan actions it applies per second against the simulated kernel
# (its hidden `bench` command). Builds nothing: build the jar first, e.g.
# `./mvnw -o -q package -pl host-executor -DskipTests`. Prints the results as markdown.
#
#   bench/executor.sh --out executor.md
#   RUNS=50 BENCH_ARGS="--plans 40 --runs 11" bench/executor.sh
#
# Environment:
#   RUNS        launches per start-time measurement (default 20)
#   JAVA_OPTS   JVM options of every launch (default none)
#   BENCH_ARGS  arguments of `bench` (default none: 8 parents, 20 plans of 50 creates then 20 of removes,
#               3 warm-up and 7 measured runs)
#
# Arguments: --out FILE also writes the markdown to FILE.
#
# Exit status: 0 measured, 1 the jar is missing or a launch failed, 2 bad arguments.
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
JAVA_OPTS=${JAVA_OPTS:-}
BENCH_ARGS=${BENCH_ARGS:-}
JAR=host-executor/target/mdevplan-executor.jar

log() {
    printf 'executor: %s\n' "$*" >&2
}

out=
while [[ $# -gt 0 ]]; do
    case $1 in
        --out)
            if [[ $# -lt 2 ]]; then
                log "--out needs a file. Maybe: --out executor.md"
                exit 2
            fi
            out=$2
            shift 2
            ;;
        *)
            log "unknown argument \"$1\". Maybe: --out FILE (the rest goes in RUNS, JAVA_OPTS, BENCH_ARGS)"
            exit 2
            ;;
    esac
done
if ! [[ $RUNS =~ ^[1-9][0-9]*$ ]]; then
    log "RUNS=$RUNS is no count of launches. Maybe RUNS=20"
    exit 2
fi
if [[ ! -f $JAR ]]; then
    log "there is no $JAR. Maybe build it: ./mvnw -o -q package -pl host-executor -DskipTests"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mdevplan-executor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A host as the kernel shows it: mtty (no driver link, no description) and a GVT-g GPU (driver link, descriptions,
# one _4 device), so that inventory infers pools both ways.
make_tree() {
    local root=$1 gpu type available dir
    mkdir -p "$root/etc" "$root/sys/class/mdev_bus" "$root/sys/bus/mdev/devices" "$root/sys/bus/pci/drivers/i915"
    echo bench-host >"$root/etc/hostname"
    mkdir -p "$root/sys/devices/virtual/mtty/mtty"
    ln -s ../../devices/virtual/mtty/mtty "$root/sys/class/mdev_bus/mtty"
    for type in 1:24:"Single port serial" 2:12:"Dual port serial"; do
        dir=$root/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-${type%%:*}
        mkdir -p "$dir/devices"
        available=${type#*:}
        echo "${available%%:*}" >"$dir/available_instances"
        echo "${type##*:}" >"$dir/name"
        echo vfio-pci >"$dir/device_api"
        : >"$dir/create"
    done
    gpu=$root/sys/devices/pci0000:00/0000:00:02.0
    mkdir -p "$gpu"
    ln -s ../../devices/pci0000:00/0000:00:02.0 "$root/sys/class/mdev_bus/0000:00:02.0"
    ln -s ../../bus/pci/drivers/i915 "$gpu/driver"
    # name:low_gm:high_gm:available with one _4 device
    for type in 8:64:384:6 4:128:512:3 2:256:1024:1 1:512:2048:0; do
        IFS=: read -r n low high available <<<"$type"
        dir=$gpu/mdev_supported_types/i915-GVTg_V5_$n
        mkdir -p "$dir/devices"
        echo "$available" >"$dir/available_instances"
        echo "GVTg_V5_$n" >"$dir/name"
        echo vfio-pci >"$dir/device_api"
        printf 'low_gm_size: %sMB\nhigh_gm_size: %sMB\nfence: 4\nresolution: 1920x1200\nweight: 4\n' "$low" "$high" \
            >"$dir/description"
        : >"$dir/create"
    done
    local uuid=4b20d080-1b54-4048-85b3-a6a62d165c01
    mkdir -p "$gpu/$uuid"
    ln -s ../mdev_supported_types/i915-GVTg_V5_4 "$gpu/$uuid/mdev_type"
    : >"$gpu/$uuid/remove"
    ln -s "../../$uuid" "$gpu/mdev_supported_types/i915-GVTg_V5_4/devices/$uuid"
    ln -s "../../../devices/pci0000:00/0000:00:02.0/$uuid" "$root/sys/bus/mdev/devices/$uuid"
}

# Launches the jar RUNS times with the arguments; prints "median p90" of the wall times in milliseconds.
time_launches() {
    local times=$tmp/times start end
    : >"$times"
    for _ in $(seq 1 "$RUNS"); do
        start=$(date +%s%N)
        # shellcheck disable=SC2086 # JAVA_OPTS holds several options
        if ! java $JAVA_OPTS -jar "$JAR" "$@" >"$tmp/launch.out" 2>&1; then
            log "java -jar $JAR $* failed:"
            cat "$tmp/launch.out" >&2
            exit 1
        fi
        end=$(date +%s%N)
        echo $(((end - start) / 1000)) >>"$times"
    done
    # median (the mean of the two middle ones for an even count) and p90 by nearest rank, from microseconds
    sort -n "$times" | awk '{ t[NR] = $1 } END {
        median = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
        rank = int(0.9 * NR); if (rank < 0.9 * NR) rank++
        printf "%.1f %.1f\n", median / 1000, t[rank] / 1000 }'
}

make_tree "$tmp/root"
log "start time: $RUNS launches of --version"
read -r version_median version_p90 < <(time_launches --version)
log "start time: $RUNS launches of inventory"
read -r inventory_median inventory_p90 < <(time_launches inventory --root "$tmp/root")
log "plan actions per second: bench $BENCH_ARGS"
# shellcheck disable=SC2086 # JAVA_OPTS and BENCH_ARGS hold several words
bench=$(java $JAVA_OPTS -jar "$JAR" bench $BENCH_ARGS)

report=$tmp/report.md
{
    echo "## Host executor"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, $(java -version 2>&1 | head -n 1)${JAVA_OPTS:+, JAVA_OPTS: $JAVA_OPTS}."
    echo
    echo "### Start time of the runnable jar (wall time, $RUNS launches each)"
    echo
    echo "| command | median ms | p90 ms |"
    echo "|---|---:|---:|"
    echo "| \`--version\` | $version_median | $version_p90 |"
    echo "| \`inventory --root\` (mtty and a GVT-g GPU with one device) | $inventory_median | $inventory_p90 |"
    echo
    echo "$bench"
} >"$report"
cat "$report"
if [[ -n $out ]]; then
    cp "$report" "$out"
    log "written to $out"
fi
