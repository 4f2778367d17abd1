# Shared by the kernel lab's host-side scripts (sourced, not run).
# shellcheck shell=bash

# shellcheck disable=SC2034 # LAB_DIR and CACHE are for the scripts that source this
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034
CACHE=${MDEVPLAN_KERNEL_LAB_CACHE:-/var/cache/mdevplan-kernel-lab}
# Exit code that tells the JUnit driver "this machine cannot run the lab": the tests are skipped, not failed.
readonly CANNOT_RUN=77

log() { printf 'kernel-lab: %s\n' "$*" >&2; }
die() { printf 'kernel-lab: error: %s\n' "$*" >&2; exit 1; }
cannot_run() { printf 'kernel-lab: CANNOT RUN HERE: %s\n' "$*" >&2; exit "$CANNOT_RUN"; }

# Hash of files' contents (and names), for cache keys.
hash_files() {
    local file
    for file in "$@"; do
        printf '%s\n' "$(basename "$file")"
        cat "$file"
    done | sha256sum | cut -c1-16
}
