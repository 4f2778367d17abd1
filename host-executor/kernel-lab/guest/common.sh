# Check helpers for the guest scenarios (sourced by run.sh). A scenario records:
#   results.txt       one line per check: "ok<TAB>NAME" or "fail<TAB>NAME<TAB>DETAILS"; each becomes a JUnit test
#   snapshots/N-L.tsv the kernel's view after a step (types with available_instances, devices with instances),
#                     with N-L.json beside it when the executor's inventory was taken at the same moment
#   plans/, apply/    each plan applied, the executor's output and stderr
# shellcheck shell=bash

RESULTS=$LAB/results.txt
mkdir -p "$LAB/snapshots" "$LAB/plans" "$LAB/apply"
: >"$RESULTS"
HOST=$(cat /etc/hostname)  # a plan must name the host it runs on
STEP=0
# Start-up dominates these short runs, and emulation is slow at JIT code: C1 only, the serial collector
EXECUTOR_JVM=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
# boot.sh's class archive for the jar (the JVM ignores it if it does not match); bench.sh measures without it too
CLASS_ARCHIVE=(-XX:SharedArchiveFile="${EXECUTOR_JAR%/*}/executor.jsa")

# progress TEXT: a line on the serial console with the seconds since the scenario started
progress() {
    printf 'kernel-lab: %4ds %s\n' "$SECONDS" "$*" >&3
}

executor() {
    progress "executor $1"
    "$JAVA" "${EXECUTOR_JVM[@]}" "${CLASS_ARCHIVE[@]}" -jar "$EXECUTOR_JAR" "$@"
}

ok() {
    printf 'ok\t%s\n' "$1" >>"$RESULTS"
}

fail() {
    local name=$1
    shift
    printf 'fail\t%s\t%s\n' "$name" "$(printf '%s' "$*" | tr '\n\t' '| ')" >>"$RESULTS"
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
    if [[ $2 == "$3" ]]; then ok "$1"; else fail "$1" "expected [$2] but was [$3]"; fi
}

# uuid N: a readable UUID for the N-th device of a scenario
uuid() {
    printf '%08x-0000-4000-8000-%012x' "$1" "$1"
}

# plan: reads action lines "create ID UUID PARENT TYPE [INSTANCES [ATTRS_JSON]]" or "remove ID UUID" (single spaces,
# ATTRS_JSON without any, e.g. [{"mdev/weight":"4"}]) and prints the plan for this host
plan() {
    jq -Rn --arg host "$HOST" '{host: $host, actions: [inputs | select(length > 0) | split(" ")
        | if .[0] == "create" then
            {id: .[1], op: "create", uuid: .[2], parent: .[3], type: .[4]}
            + (if .[5] then {instances: (.[5] | tonumber)} else {} end)
            + (if .[6] then {attrs: (.[6] | fromjson)} else {} end)
          else {id: .[1], op: .[0], uuid: .[2]} end]}'
}

# apply NAME [ARGS...]: applies the plan whose action lines come on stdin, saved as plans/NAME.json
apply() {
    local name=$1
    shift
    plan >"$LAB/plans/$name.json"
    apply_file "$name" "$LAB/plans/$name.json" "$@"
}

# apply_file NAME PLAN [ARGS...]: applies a plan file; the output goes to apply/NAME.json, the exit code to APPLY_RC
apply_file() {
    local name=$1 file=$2
    shift 2
    set +e
    executor apply --plan "$file" "$@" >"$LAB/apply/$name.json" 2>"$LAB/apply/$name.err"
    APPLY_RC=$?
    set -e
}

# statuses NAME: the results of apply NAME as "id=status" or "id=status:ERRNO", in plan order
statuses() {
    jq -r '[.results[] | .id + "=" + .status + (if .error.errno then ":" + .error.errno else "" end)] | join(" ")' \
        "$LAB/apply/$1.json" 2>/dev/null || echo "no results: $(head -c 300 "$LAB/apply/$1.err")"
}

# check_apply NAME EXIT_CODE STATUSES: the exit code and every action's result of apply NAME
check_apply() {
    check_eq "$1: exit code" "$2" "$APPLY_RC"
    check_eq "$1: results" "$3" "$(statuses "$1")"
}

# The kernel's count of uevents: every device added or deleted raises it (a create the driver refuses adds and deletes
# one); a write refused before that (EEXIST, EINVAL, EUSERS), or no write at all, leaves it alone
uevents() {
    local count
    read -r count </sys/kernel/uevent_seqnum
    printf '%s' "$count"
}

# short UUID: "dN" for the UUIDs `uuid N` makes, else the UUID itself (keeps messages readable)
short() {
    if [[ $1 =~ ^([0-9a-f]{8})-0000-4000-8000-[0-9a-f]{12}$ ]]; then
        printf 'd%d' "$((16#${BASH_REMATCH[1]}))"
    else
        printf '%s' "$1"
    fi
}

# devices [PARENT]: every device as "dN:TYPE", with "*N" when it holds N > 1 instances, ordered by N
devices() {
    local dir uuid type n entries=()
    # shellcheck disable=SC2231 # ${1:-*} is a parent name or the glob for every parent
    for dir in /sys/class/mdev_bus/${1:-*}/mdev_supported_types/*/devices/*; do
        [[ -e $dir ]] || continue
        uuid=${dir##*/}
        type=${dir%/devices/*}
        type=${type##*/}
        n=1
        [[ -f $dir/mdev/aggregation ]] && read -r n <"$dir/mdev/aggregation"
        ((n > 1)) && type+="*$n"
        entries+=("$(short "$uuid"):$type")
    done
    ((${#entries[@]} > 0)) || return 0
    printf '%s\n' "${entries[@]}" | sort -V | paste -sd ' '
}

# definitions: every mdevctl definition as "dN:PARENT/TYPE/START", with "/attr=value,..." when it has attributes
definitions() {
    local files file type start attrs parent entries=()
    mapfile -t files < <(find /etc/mdevctl.d -path /etc/mdevctl.d/scripts.d -prune -o -type f -print)
    ((${#files[@]} > 0)) || return 0
    while IFS=$'\t' read -r file type start attrs; do
        parent=${file%/*}
        entries+=("$(short "${file##*/}"):${parent##*/}/$type/$start${attrs:+/$attrs}")
    done < <(jq -r '[input_filename, .mdev_type, .start,
        ((.attrs // []) | map(to_entries[0] | "\(.key)=\(.value)") | join(","))] | @tsv' "${files[@]}")
    printf '%s\n' "${entries[@]}" | sort -V | paste -sd ' '
}

# Every definition file with its change time: unchanged when nothing wrote them
definitions_state() {
    find /etc/mdevctl.d -path /etc/mdevctl.d/scripts.d -prune -o -type f -printf '%p %C@\n' | sort
}

# write_error FILE TEXT: what the kernel answers to one write: "ok", or strerror's text
write_error() {
    local out
    if out=$( { printf '%s' "$2" >"$1"; } 2>&1); then echo ok; else printf '%s' "${out##*: }"; fi
}

type_dir() {
    printf '/sys/class/mdev_bus/%s/mdev_supported_types/%s' "$1" "$2"
}

device_dir() {
    printf '/sys/bus/mdev/devices/%s' "$1"
}

# availables PARENT: "TYPE=available_instances ..." of every type of the parent
availables() {
    local dir count entries=()
    for dir in "/sys/class/mdev_bus/$1"/mdev_supported_types/*; do
        read -r count <"$dir/available_instances"
        entries+=("${dir##*/}=$count")
    done
    printf '%s' "${entries[*]}"
}

# snapshot LABEL [--inventory]: the kernel's view now, for the JUnit driver's pool prediction and inventory checks
snapshot() {
    STEP=$((STEP + 1))
    local base parent_dir type_dir device n name api count
    base=$LAB/snapshots/$(printf '%03d' "$STEP")-${1// /-}
    {
        for parent_dir in /sys/class/mdev_bus/*; do
            for type_dir in "$parent_dir"/mdev_supported_types/*; do
                read -r count <"$type_dir/available_instances"
                read -r api <"$type_dir/device_api"
                name=
                [[ -f $type_dir/name ]] && read -r name <"$type_dir/name"
                printf 'type\t%s\t%s\t%s\t%s\t%s\n' "${parent_dir##*/}" "${type_dir##*/}" "$count" "$api" "$name"
                for device in "$type_dir"/devices/*; do
                    [[ -e $device ]] || continue
                    n=1
                    [[ -f $device/mdev/aggregation ]] && read -r n <"$device/mdev/aggregation"
                    printf 'device\t%s\t%s\t%s\t%s\n' "${parent_dir##*/}" "${type_dir##*/}" "${device##*/}" "$n"
                done
            done
        done
    } >"$base.tsv"
    if [[ ${2:-} == --inventory ]]; then
        if executor inventory >"$base.json" 2>"$base.err"; then
            ok "$1: inventory runs"
        else
            fail "$1: inventory runs" "$(cat "$base.err")"
        fi
    fi
}

# step LABEL FILE TEXT: one raw write that must succeed, then a snapshot (the pool prediction walks)
step() {
    check_eq "$1: write" ok "$(write_error "$2" "$3")"
    snapshot "$1"
}
