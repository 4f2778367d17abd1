# modules: mtty mbochs mdpy
# timeout: 600
# Measures the executor in the VM: its start (--version, inventory) and apply's actions per second against a shell
# loop writing the same actions raw. Writes benchmarks.md into the share; the JUnit driver copies and prints it.
# shellcheck shell=bash disable=SC2154 # timed sets the *_ms variables through printf -v

ACTIONS=64   # mbochs-small: 64 fit on an empty mbochs
SMALL=$(type_dir mbochs mbochs-small)

# timed VAR COMMAND...: runs the command, VAR = its wall time in ms (EPOCHREALTIME: no process of its own)
timed() {
    local var=$1 start rc
    shift
    start=${EPOCHREALTIME/./}
    set +e
    "$@"
    rc=$?
    set -e
    printf -v "$var" '%d' $(((${EPOCHREALTIME/./} - start) / 1000))
    return "$rc"
}

# rate N MS: actions per second, one decimal
rate() {
    awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.1f", (ms > 0 ? n * 1000 / ms : 0) }'
}

# Without the class archive, as an operator starts the executor today: twice each, as the first start also pulls
# the JDK's files over 9p into the page cache. Then once each with the archive (-Xshare:on: fails unless it is used).
archive=("${CLASS_ARCHIVE[@]}")
CLASS_ARCHIVE=()
versions=() inventories=()
for _ in 1 2; do
    timed ms executor --version >/dev/null || fail "--version runs" "exit code $?"
    versions+=("$ms")
    timed ms executor inventory >/dev/null || fail "inventory runs" "exit code $?"
    inventories+=("$ms")
done
CLASS_ARCHIVE=("${archive[@]}" -Xshare:on)
timed version_archive_ms executor --version >/dev/null || fail "--version runs with the class archive" "exit code $?"
timed inventory_archive_ms executor inventory >/dev/null || fail "inventory runs with the class archive" "exit code $?"
CLASS_ARCHIVE=()
ok "executor start measured"
version_ms=${versions[1]}

uuids=()
for n in $(seq "$ACTIONS"); do uuids+=("$(uuid "$n")"); done
for u in "${uuids[@]}"; do echo "create c-$u $u mbochs mbochs-small"; done | plan >"$LAB/plans/bench-create.json"
for u in "${uuids[@]}"; do echo "remove r-$u $u"; done | plan >"$LAB/plans/bench-remove.json"

timed apply_create_ms apply_file bench-create "$LAB/plans/bench-create.json"
check_eq "apply creates $ACTIONS devices" "0 $ACTIONS" \
    "$APPLY_RC $(jq '[.results[] | select(.status == "done")] | length' "$LAB/apply/bench-create.json")"
timed apply_remove_ms apply_file bench-remove "$LAB/plans/bench-remove.json"
check_eq "apply removes them" "0 ''" "$APPLY_RC '$(devices)'"

raw_create() {
    local u
    for u in "${uuids[@]}"; do printf '%s' "$u" >"$SMALL/create"; done
}
raw_remove() {
    local u
    for u in "${uuids[@]}"; do printf 1 >"/sys/bus/mdev/devices/$u/remove"; done
}
timed raw_create_ms raw_create
check_eq "the shell loop creates $ACTIONS devices" "$ACTIONS" "$(devices | wc -w)"
timed raw_remove_ms raw_remove
check_eq "the shell loop removes them" "" "$(devices)"

jvm=$("$JAVA" -version 2>&1 | sed -n 2p)
cat >"$LAB/benchmarks.md" <<MD
### The executor against the real kernel (kernel lab)

Measured by \`host-executor/kernel-lab/guest/bench.sh\` in the kernel lab's VM: Debian's kernel $KERNEL_VERSION
under QEMU's software emulation (TCG, one vCPU; host: $HOST_CPU, $HOST_CORES cores), the kernel's mbochs sample
parent, $jvm with \`-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\`, the jar read from tmpfs, no class archive
unless the row says so. "After the JVM start" subtracts the second \`--version\`. Emulation makes everything many
times slower than on hardware, and process starts (each from the host's root over 9p) slowest of all: compare the rows
with each other, not with a real host.

| what | wall time | actions per second |
|---|---:|---:|
| \`--version\` (JVM start), first and second run | ${versions[0]} ms, ${versions[1]} ms | |
| \`--version\` with an AppCDS archive of the executor's classes | $version_archive_ms ms | |
| \`inventory\` of 3 parents, 8 types, first and second run | ${inventories[0]} ms, ${inventories[1]} ms | |
| \`inventory\` with the AppCDS archive | $inventory_archive_ms ms | |
| \`apply\`: $ACTIONS creates (mbochs-small) with their mdevctl definitions | $apply_create_ms ms | $(rate "$ACTIONS" "$apply_create_ms") ($(rate "$ACTIONS" $((apply_create_ms - version_ms))) after the JVM start) |
| \`apply\`: the $ACTIONS removes | $apply_remove_ms ms | $(rate "$ACTIONS" "$apply_remove_ms") ($(rate "$ACTIONS" $((apply_remove_ms - version_ms))) after the JVM start) |
| shell loop: $ACTIONS raw writes of the UUID to \`create\` | $raw_create_ms ms | $(rate "$ACTIONS" "$raw_create_ms") |
| shell loop: $ACTIONS raw writes of 1 to \`remove\` | $raw_remove_ms ms | $(rate "$ACTIONS" "$raw_remove_ms") |
MD
ok "benchmarks.md written"
