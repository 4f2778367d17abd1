#!/usr/bin/env bash
# boot.sh SCENARIO OUT_DIR EXECUTOR_JAR: one kernel-lab boot. Prepares (cached), then boots Debian's kernel in QEMU
# (TCG, one vCPU) with the host's root read-only over 9p and OUT_DIR/share writable as /tmp/lab, where the guest runs
# guest/SCENARIO.sh. The guest writes its results into the share; the serial console goes to OUT_DIR/serial.log.
# Exit code: the guest script's, or 1 when the VM gave no answer (timeout, crash), 77 when this machine cannot run it.
# The script's header names the modules to load ("# modules: a b") and its time limit in seconds ("# timeout: N").
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

(($# == 3)) || die "usage: boot.sh SCENARIO OUT_DIR EXECUTOR_JAR, SCENARIO a script in $LAB_DIR/guest (samples, aggregation, bench)"
scenario=$1 out=$(realpath -m "$2") jar=$3
script=$LAB_DIR/guest/$scenario.sh
[[ -f $script ]] || die "no guest script $script"
[[ -f $jar ]] || die "no executor jar at $jar. Fix: ./mvnw -o -q package -DskipTests -pl host-executor"
java=${LAB_JAVA:-$(readlink -f "$(command -v java)")}
[[ -x $java ]] || die "no java to run in the guest. Fix: set LAB_JAVA to a JDK's bin/java"

# LAB_PREPARED: prepare.sh's output from an earlier call (the JUnit driver prepares once for all boots)
if [[ -n ${LAB_PREPARED:-} ]]; then
    prepared=$(cat "$LAB_PREPARED")
else
    prepared=$(bash "$LAB_DIR/prepare.sh") || exit $?
fi
KERNEL_VERSION=$(sed -n 's/^KERNEL_VERSION=//p' <<<"$prepared")
KERNEL=$(sed -n 's/^KERNEL=//p' <<<"$prepared")
INITRD=$(sed -n 's/^INITRD=//p' <<<"$prepared")
VFIO_HOLD=$(sed -n 's/^VFIO_HOLD=//p' <<<"$prepared")
modules=$(sed -n 's/^# modules: *//p' "$script" | tr ' ' ,)
timeout=$(sed -n 's/^# timeout: *//p' "$script")

# class_archive JAR ARCHIVE: an AppCDS archive of the classes the executor's inventory and apply load, made here in
# seconds (under emulation every executor start then takes about 40% less). The JVM uses it only where the jar lies
# at the same path with the same size and time, so run.sh copies it to JAR in the guest; else it ignores it.
class_archive() {
    local jar=$1 archive=$2 fake
    fake=$(mktemp -d)
    mkdir -p "$fake/etc" "$fake/sys/class/mdev_bus" "$fake/sys/bus/mdev/devices" \
        "$fake/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/devices"
    echo lab >"$fake/etc/hostname"
    ln -s ../../devices/virtual/mtty/mtty "$fake/sys/class/mdev_bus/mtty"
    local type=$fake/sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1
    echo "Single port serial" >"$type/name"
    echo vfio-pci >"$type/device_api"
    echo 24 >"$type/available_instances"
    : >"$type/create"
    printf '{"host": "lab", "actions": [%s, %s]}' \
        '{"id": "c", "op": "create", "uuid": "00000001-0000-4000-8000-000000000001", "parent": "mtty", "type": "mtty-1"}' \
        '{"id": "r", "op": "remove", "uuid": "00000002-0000-4000-8000-000000000002"}' >"$fake/plan.json"
    # the create fails on the fake tree (no device appears): its unwinding path is loaded too
    "$java" -XX:DumpLoadedClassList="$fake/inventory.classes" -jar "$jar" inventory --root "$fake" >/dev/null 2>&1 || true
    "$java" -XX:DumpLoadedClassList="$fake/apply.classes" -jar "$jar" apply --plan "$fake/plan.json" --root "$fake" \
        >/dev/null 2>&1 || true
    sort -u "$fake"/*.classes >"$fake/all.classes"
    "$java" -Xshare:dump -XX:SharedClassListFile="$fake/all.classes" -XX:SharedArchiveFile="$archive" -cp "$jar" \
        >"$out/class-archive.log" 2>&1 || die "making the class archive failed; see $out/class-archive.log"
    rm -rf "$fake"
}

# The guest sees the host's root, but with tmpfs over /tmp and /run: everything it needs from the build goes
# through the share.
rm -rf "$out" && mkdir -p "$out/share/guest"
cp "$LAB_DIR"/guest/*.sh "$out/share/guest/"
cp "$VFIO_HOLD" "$out/share/vfio-hold"
cp -p "$jar" "$out/share/executor.jar"
guest_jar=/run/mdevplan-kernel-lab/$scenario.$$/executor.jar
mkdir -p "${guest_jar%/*}" || die "cannot create ${guest_jar%/*}. Fix: run as root"
trap 'rm -rf "${guest_jar%/*}"' EXIT
cp -p "$jar" "$guest_jar"
class_archive "$guest_jar" "$out/share/executor.jsa"
{
    printf 'SCENARIO=%q\nJAVA=%q\nKERNEL_VERSION=%q\nEXECUTOR_JAR=%q\n' "$scenario" "$java" "$KERNEL_VERSION" "$guest_jar"
    printf 'HOST_CPU=%q\nHOST_CORES=%q\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)"
} >"$out/share/lab.env"

log "booting $KERNEL_VERSION for $scenario (serial console: $out/serial.log)"
started=$(date +%s)
set +e
timeout "${timeout:-300}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -M q35 -smp 1 -m 2048 \
    -nographic -no-reboot -nodefaults -serial stdio \
    -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init mdevplan.modules=$modules" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$out/share,mount_tag=lab,security_model=none,multidevs=remap" \
    </dev/null >"$out/serial.log" 2>&1
rc=$?
set -e
log "$scenario: QEMU ended after $(($(date +%s) - started)) s with $rc"
if ((rc == 124)); then
    log "the VM did not finish within ${timeout:-300} s; the end of $out/serial.log:"
    tail -n 20 "$out/serial.log" >&2
    exit 1
fi
if ((rc % 2 == 0)); then
    log "the VM gave no exit code (QEMU ended with $rc: it crashed or powered off early); the end of $out/serial.log:"
    tail -n 20 "$out/serial.log" >&2
    exit 1
fi
exit $((rc >> 1))
