# modules: mtty mbochs mdpy
# timeout: 600
# The kernel's sample parents mtty, mbochs and mdpy (built from linux-source): the executor's inventory against the
# kernel, the pool prediction after every create and remove, apply with its failures, idempotence, and mdevctl.
# shellcheck shell=bash

remove_file() {
    printf '%s/remove' "$(device_dir "$(uuid "$1")")"
}

snapshot empty --inventory

# --- The pool prediction walk: one raw write at a time, the kernel's view after each. The JUnit driver compares each
# view with what the planner's pool inference predicts from the empty parents' inventory.
step "walk +d101" "$(type_dir mtty mtty-1)/create" "$(uuid 101)"
step "walk +d102" "$(type_dir mtty mtty-2)/create" "$(uuid 102)"
step "walk +d103" "$(type_dir mtty mtty-2)/create" "$(uuid 103)"
step "walk -d101" "$(remove_file 101)" 1
step "walk +d104" "$(type_dir mbochs mbochs-large)/create" "$(uuid 104)"
step "walk +d105" "$(type_dir mbochs mbochs-small)/create" "$(uuid 105)"
step "walk +d106" "$(type_dir mbochs mbochs-medium)/create" "$(uuid 106)"
step "walk -d104" "$(remove_file 104)" 1
step "walk +d107" "$(type_dir mbochs mbochs-large)/create" "$(uuid 107)"
step "walk +d108" "$(type_dir mdpy mdpy-vga)/create" "$(uuid 108)"
step "walk +d109" "$(type_dir mdpy mdpy-hd)/create" "$(uuid 109)"
step "walk +d110" "$(type_dir mdpy mdpy-xga)/create" "$(uuid 110)"
step "walk +d111" "$(type_dir mdpy mdpy-vga)/create" "$(uuid 111)"
step "walk -d109" "$(remove_file 109)" 1
check_eq "walk: devices before clean-up" \
    "d102:mtty-2 d103:mtty-2 d105:mbochs-small d106:mbochs-medium d107:mbochs-large d108:mdpy-vga d110:mdpy-xga d111:mdpy-vga" \
    "$(devices)"
for n in 102 103 105 106 107 108 110 111; do
    step "walk -d$n" "$(remove_file "$n")" 1
done

# --- What the kernel itself answers, written raw (the executor's error handling relies on these)
check_eq "kernel: a malformed UUID is EINVAL" "Invalid argument" \
    "$(write_error "$(type_dir mtty mtty-1)/create" not-a-uuid)"
step "kernel +d120" "$(type_dir mtty mtty-1)/create" "$(uuid 120)"
upper=$(uuid 120)
check_eq "kernel: a UUID in use with another type, in upper case, is EEXIST" "File exists" \
    "$(write_error "$(type_dir mtty mtty-2)/create" "${upper^^}")"
check_eq "kernel: remove 0 does nothing" "ok d120:mtty-1" "$(write_error "$(remove_file 120)" 0) $(devices)"
check_eq "kernel: remove abc is EINVAL" "Invalid argument" "$(write_error "$(remove_file 120)" abc)"
step "kernel -d120" "$(remove_file 120)" 1
for n in 121 122 123 124; do
    step "kernel +d$n" "$(type_dir mbochs mbochs-large)/create" "$(uuid "$n")"
done
check_eq "kernel: a full pool is ENOSPC" "No space left on device" \
    "$(write_error "$(type_dir mbochs mbochs-large)/create" "$(uuid 125)")"
# the device was added and deleted again inside the write: two uevents, nothing left
check_eq "kernel: a failed create leaves nothing" "d121:mbochs-large d122:mbochs-large d123:mbochs-large d124:mbochs-large" \
    "$(devices)"
for n in 121 122 123 124; do
    step "kernel -d$n" "$(remove_file "$n")" 1
done
for n in 126 127 128 129; do
    step "kernel +d$n" "$(type_dir mdpy mdpy-vga)/create" "$(uuid "$n")"
done
check_eq "kernel: mdpy's device counter (the core's max_instances) is EUSERS" "Too many users" \
    "$(write_error "$(type_dir mdpy mdpy-hd)/create" "$(uuid 130)")"
for n in 126 127 128 129; do
    step "kernel -d$n" "$(remove_file "$n")" 1
done

# --- apply: many creates across the three parents (d4 in upper case: the kernel lower-cases it)
U4=$(uuid 4)
apply create-many <<PLAN
create c1 $(uuid 1) mtty mtty-2
create c2 $(uuid 2) mtty mtty-2
create c3 $(uuid 3) mtty mtty-1
create c4 ${U4^^} mtty mtty-1
create c5 $(uuid 5) mbochs mbochs-large
create c6 $(uuid 6) mbochs mbochs-medium
create c7 $(uuid 7) mbochs mbochs-small
create c8 $(uuid 8) mbochs mbochs-small
create c9 $(uuid 9) mdpy mdpy-vga
create c10 $(uuid 10) mdpy mdpy-xga
create c11 $(uuid 11) mdpy mdpy-hd
PLAN
check_apply create-many 0 "c1=done c2=done c3=done c4=done c5=done c6=done c7=done c8=done c9=done c10=done c11=done"
check_eq "create-many: devices" \
    "d1:mtty-2 d2:mtty-2 d3:mtty-1 d4:mtty-1 d5:mbochs-large d6:mbochs-medium d7:mbochs-small d8:mbochs-small d9:mdpy-vga d10:mdpy-xga d11:mdpy-hd" \
    "$(devices)"
check_eq "create-many: definitions" \
    "d1:mtty/mtty-2/auto d2:mtty/mtty-2/auto d3:mtty/mtty-1/auto d4:mtty/mtty-1/auto d5:mbochs/mbochs-large/auto d6:mbochs/mbochs-medium/auto d7:mbochs/mbochs-small/auto d8:mbochs/mbochs-small/auto d9:mdpy/mdpy-vga/auto d10:mdpy/mdpy-xga/auto d11:mdpy/mdpy-hd/auto" \
    "$(definitions)"
snapshot create-many --inventory

# --- apply: removes make the room that the creates after them take (mdpy ends full: 4 devices)
apply mixed <<PLAN
remove r1 $(uuid 1)
remove r5 $(uuid 5)
remove r9 $(uuid 9)
create c12 $(uuid 12) mtty mtty-2
create c13 $(uuid 13) mbochs mbochs-large
create c14 $(uuid 14) mdpy mdpy-hd
create c15 $(uuid 15) mdpy mdpy-vga
PLAN
check_apply mixed 0 "r1=done r5=done r9=done c12=done c13=done c14=done c15=done"
MIXED_DEVICES="d2:mtty-2 d3:mtty-1 d4:mtty-1 d6:mbochs-medium d7:mbochs-small d8:mbochs-small d10:mdpy-xga d11:mdpy-hd d12:mtty-2 d13:mbochs-large d14:mdpy-hd d15:mdpy-vga"
check_eq "mixed: devices" "$MIXED_DEVICES" "$(devices)"
MIXED_DEFINITIONS="d2:mtty/mtty-2/auto d3:mtty/mtty-1/auto d4:mtty/mtty-1/auto d6:mbochs/mbochs-medium/auto d7:mbochs/mbochs-small/auto d8:mbochs/mbochs-small/auto d10:mdpy/mdpy-xga/auto d11:mdpy/mdpy-hd/auto d12:mtty/mtty-2/auto d13:mbochs/mbochs-large/auto d14:mdpy/mdpy-hd/auto d15:mdpy/mdpy-vga/auto"
check_eq "mixed: definitions (the removed devices' are gone)" "$MIXED_DEFINITIONS" "$(definitions)"
snapshot mixed

# --- apply the same plan again: everything counts as done and nothing is written
before_uevents=$(uevents)
before_definitions=$(definitions_state)
apply_file mixed-again "$LAB/plans/mixed.json"
check_apply mixed-again 0 "r1=done r5=done r9=done c12=done c13=done c14=done c15=done"
check_eq "mixed-again: nothing written (devices, uevents, definitions and their change times)" \
    "$MIXED_DEVICES $before_uevents $before_definitions" "$(devices) $(uevents) $(definitions_state)"

# --- apply: the plan's own creates use up mbochs (88 of 256 MB in use: room for two more large ones); the third
# fails with ENOSPC, nothing of it is left, and the action after it is skipped
apply enospc <<PLAN
create c16 $(uuid 16) mbochs mbochs-large
create c17 $(uuid 17) mbochs mbochs-large
create c18 $(uuid 18) mbochs mbochs-large
create c19 $(uuid 19) mtty mtty-1
PLAN
check_apply enospc 3 "c16=done c17=done c18=failed:ENOSPC c19=skipped"
check_eq "enospc: devices (c16 and c17 stay, nothing of c18 and c19)" \
    "d2:mtty-2 d3:mtty-1 d4:mtty-1 d6:mbochs-medium d7:mbochs-small d8:mbochs-small d10:mdpy-xga d11:mdpy-hd d12:mtty-2 d13:mbochs-large d14:mdpy-hd d15:mdpy-vga d16:mbochs-large d17:mbochs-large" \
    "$(devices)"
check_eq "enospc: mbochs available as before the failed action" \
    "mbochs-large=0 mbochs-medium=2 mbochs-small=10" "$(availables mbochs)"
check_eq "enospc: definitions of the done actions only" \
    "$MIXED_DEFINITIONS d16:mbochs/mbochs-large/auto d17:mbochs/mbochs-large/auto" "$(definitions)"
snapshot enospc

# --- apply: a UUID that exists with another type (given in upper case) is EEXIST, and the device is left alone
before_devices=$(devices)
before_uevents=$(uevents)
before_definitions=$(definitions_state)
U2=$(uuid 2)
apply eexist <<PLAN
create c20 ${U2^^} mtty mtty-1
PLAN
check_apply eexist 3 "c20=failed:EEXIST"
check_eq "eexist: nothing written (devices, uevents, definitions)" \
    "$before_devices $before_uevents $before_definitions" "$(devices) $(uevents) $(definitions_state)"

# --- apply: refused actions (EINVAL before the kernel: a malformed UUID; instances on a type that does not
# aggregate) make the executor write nothing of the plan
apply refused <<PLAN
create c21 not-a-uuid mtty mtty-1
create c22 $(uuid 22) mtty mtty-2 2
create c23 $(uuid 23) mtty mtty-1
PLAN
check_apply refused 2 "c21=refused c22=refused c23=skipped"
check_eq "refused: nothing written (devices, uevents, definitions)" \
    "$before_devices $before_uevents $before_definitions" "$(devices) $(uevents) $(definitions_state)"

# --- mdevctl (Debian's) lists the executor's definitions and starts them once the devices are gone
mdevctl list --defined >"$LAB/mdevctl-list-defined.txt" 2>&1 || true
listed=$(awk 'NF { print $1 " " $2 "/" $3 "/" $4 }' "$LAB/mdevctl-list-defined.txt")
DEFINED="$MIXED_DEFINITIONS d16:mbochs/mbochs-large/auto d17:mbochs/mbochs-large/auto"
check_eq "mdevctl list --defined shows the executor's definitions" "$DEFINED" \
    "$(while read -r uuid rest; do printf '%s:%s\n' "$(short "$uuid")" "$rest"; done <<<"$listed" | sort -V | paste -sd ' ')"
for dir in /sys/bus/mdev/devices/*; do
    printf 1 >"$dir/remove"
done
check_eq "mdevctl: every device removed" "" "$(devices)"
for parent in mtty mbochs mdpy; do
    out=$(mdevctl start-parent-mdevs "$parent" 2>&1) || fail "mdevctl start-parent-mdevs $parent" "$out"
done
MDEVCTL_DEVICES="d2:mtty-2 d3:mtty-1 d4:mtty-1 d6:mbochs-medium d7:mbochs-small d8:mbochs-small d10:mdpy-xga d11:mdpy-hd d12:mtty-2 d13:mbochs-large d14:mdpy-hd d15:mdpy-vga d16:mbochs-large d17:mbochs-large"
check_eq "mdevctl start-parent-mdevs creates the defined devices" "$MDEVCTL_DEVICES" "$(devices)"
snapshot after-mdevctl --inventory
check_eq "the executor's inventory sees the devices mdevctl created" "$MDEVCTL_DEVICES" \
    "$(jq -r '.parents[] | .devices[] | "\(.uuid):\(.type)"' "$LAB/snapshots/$(printf '%03d' "$STEP")-after-mdevctl.json" \
        | while IFS=: read -r uuid type; do printf '%s:%s\n' "$(short "$uuid")" "$type"; done | sort -V | paste -sd ' ')"
