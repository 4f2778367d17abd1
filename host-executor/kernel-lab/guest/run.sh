#!/bin/bash
# Runs inside the guest, chrooted into the host's root: the boot's scenario with the check helpers. Exits 0 when the
# scenario ran to its end (its checks may still have failed: results.txt says), else non-zero.
set -euo pipefail
LAB=/tmp/lab
# shellcheck source=/dev/null
source "$LAB/lab.env"
# shellcheck source=common.sh
source "$LAB/guest/common.sh"
# exit 1, whatever the failing command returned: boot.sh hands the code on, and 77 means "cannot run here" there
trap 'echo "kernel-lab: $SCENARIO.sh failed at line $LINENO: $BASH_COMMAND" >&2; exit 1' ERR
exec 3>&1   # the serial console, for progress lines whatever a command's output goes to
read -r uptime _ </proc/uptime
echo "kernel-lab: running $SCENARIO on $(uname -r), ${uptime}s after the kernel started"
# A host keeps the jar on a local disk; read over 9p at every start it would slow each run by seconds. The class
# archive (boot.sh) matches the jar only at the same path, with the same size and modification time.
mkdir -p "$(dirname "$EXECUTOR_JAR")"
cp -p "$LAB/executor.jar" "$EXECUTOR_JAR"
cp "$LAB/executor.jsa" "$(dirname "$EXECUTOR_JAR")/executor.jsa"
# shellcheck source=/dev/null
source "$LAB/guest/$SCENARIO.sh"
echo "end" >>"$RESULTS"
progress "$SCENARIO done"
