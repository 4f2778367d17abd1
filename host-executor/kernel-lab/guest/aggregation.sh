# modules: mdevagg vfio_iommu_type1
# timeout: 600
# Our test parent mdevagg (driver/mdevagg.c): one pool of 12 units, mdevagg-unit (1 unit, aggregates up to 4 through
# mdev/aggregation) and mdevagg-pair (2 units). The executor's aggregation path, its unwinding, its inventory, EBUSY
# from a real VFIO open, and mdevctl starting an aggregated device.
# shellcheck shell=bash disable=SC2034 # APPLY_RC is read by check_apply (common.sh)

P=mdevagg
UNIT=$(type_dir $P mdevagg-unit)
PAIR=$(type_dir $P mdevagg-pair)
STEAL=/sys/module/mdevagg/parameters/steal_units

aggregation_file() {
    printf '%s/mdev/aggregation' "$(device_dir "$(uuid "$1")")"
}

snapshot empty --inventory
check_eq "inventory: the aggregation of mdevagg-unit (attribute dialect, at most 4) and mdevagg-pair (none)" \
    "mdevagg-pair:null/null mdevagg-unit:attribute/4" \
    "$(jq -r '.parents[] | select(.address == "mdevagg") | .types[] | "\(.id):\(.aggregation)/\(.maxAggregation)"' \
        "$LAB/snapshots/001-empty.json" | paste -sd ' ')"

# --- The pool prediction walk, aggregation included: one raw write at a time, the kernel's view after each
step "walk +d101" "$UNIT/create" "$(uuid 101)"
step "walk d101*3" "$(aggregation_file 101)" 3
step "walk +d102" "$PAIR/create" "$(uuid 102)"
step "walk d101*2" "$(aggregation_file 101)" 2
step "walk d101*4" "$(aggregation_file 101)" 4
step "walk +d103" "$UNIT/create" "$(uuid 103)"
step "walk -d102" "$(device_dir "$(uuid 102)")/remove" 1
step "walk -d101" "$(device_dir "$(uuid 101)")/remove" 1
step "walk -d103" "$(device_dir "$(uuid 103)")/remove" 1

# --- What the driver answers, written raw
step "driver +d110" "$UNIT/create" "$(uuid 110)"
check_eq "driver: aggregation 0 is EINVAL" "Invalid argument" "$(write_error "$(aggregation_file 110)" 0)"
check_eq "driver: aggregation above the maximum is EINVAL" "Invalid argument" "$(write_error "$(aggregation_file 110)" 5)"
check_eq "driver: weight 99 is EINVAL" "Invalid argument" "$(write_error "$(device_dir "$(uuid 110)")/mdev/weight" 99)"
check_eq "driver: mdevagg-pair devices have no mdev/aggregation" "ok no" \
    "$(write_error "$PAIR/create" "$(uuid 111)") $([[ -e $(aggregation_file 111) ]] && echo yes || echo no)"
step "driver +d112" "$PAIR/create" "$(uuid 112)"
step "driver +d113" "$PAIR/create" "$(uuid 113)"
step "driver +d114" "$PAIR/create" "$(uuid 114)"
step "driver +d115" "$PAIR/create" "$(uuid 115)"
check_eq "driver: growth beyond the pool is ENOSPC, the device keeps its size" \
    "No space left on device mdevagg-pair=0 mdevagg-unit=1" "$(write_error "$(aggregation_file 110)" 4) $(availables $P)"
for n in 110 111 112 113 114 115; do
    step "driver -d$n" "$(device_dir "$(uuid "$n")")/remove" 1
done

# --- apply: an aggregated device with a vendor attribute, a plain one of each type (d7 is opened further down)
apply aggregate <<PLAN
create c1 $(uuid 1) $P mdevagg-unit 3 [{"mdev/weight":"4"}]
create c2 $(uuid 2) $P mdevagg-pair
create c7 $(uuid 7) $P mdevagg-unit
PLAN
check_apply aggregate 0 "c1=done c2=done c7=done"
check_eq "aggregate: devices" "d1:mdevagg-unit*3 d2:mdevagg-pair d7:mdevagg-unit" "$(devices)"
check_eq "aggregate: d1's weight" 4 "$(cat "$(device_dir "$(uuid 1)")/mdev/weight")"
check_eq "aggregate: the pool (12 units, 6 in use)" "mdevagg-pair=3 mdevagg-unit=6" "$(availables $P)"
check_eq "aggregate: definitions (aggregation first, as mdevctl writes attributes in order)" \
    "d1:mdevagg/mdevagg-unit/auto/mdev/aggregation=3,mdev/weight=4 d2:mdevagg/mdevagg-pair/auto d7:mdevagg/mdevagg-unit/auto" \
    "$(definitions)"
snapshot aggregate

# --- apply the same plan again: done, nothing written
before_devices=$(devices)
before_uevents=$(uevents)
before_definitions=$(definitions_state)
apply_file aggregate-again "$LAB/plans/aggregate.json"
check_apply aggregate-again 0 "c1=done c2=done c7=done"
check_eq "aggregate-again: nothing written (devices, uevents, definitions)" \
    "$before_devices $before_uevents $before_definitions" "$(devices) $(uevents) $(definitions_state)"

# --- apply: the aggregation write meets ENOSPC although available_instances showed room (a concurrent writer took
# it, injected through steal_units); the executor removes the device again and nothing is left
printf 4 >"$STEAL"
apply aggregate-enospc <<PLAN
create c3 $(uuid 3) $P mdevagg-unit 4
PLAN
check_apply aggregate-enospc 3 "c3=failed:ENOSPC"
check_eq "aggregate-enospc: the device was removed again, the pool is as before, the injection used up" \
    "$before_devices mdevagg-pair=3 mdevagg-unit=6 steal=0" "$(devices) $(availables $P) steal=$(cat "$STEAL")"
check_eq "aggregate-enospc: no definition for the failed device" "$before_definitions" "$(definitions_state)"
snapshot aggregate-enospc

# --- apply: a vendor attribute the driver refuses (EINVAL) after the aggregation: unwound as well
apply weight-einval <<PLAN
create c4 $(uuid 4) $P mdevagg-unit 2 [{"mdev/weight":"99"}]
PLAN
check_apply weight-einval 3 "c4=failed:EINVAL"
check_eq "weight-einval: the device was removed again, the pool is as before" \
    "$before_devices mdevagg-pair=3 mdevagg-unit=6" "$(devices) $(availables $P)"
check_eq "weight-einval: no definition for the failed device" "$before_definitions" "$(definitions_state)"
snapshot weight-einval

# --- apply: instances beyond the type's maximum, or on a type that does not aggregate, are refused
before_uevents=$(uevents)
apply refused <<PLAN
create c5 $(uuid 5) $P mdevagg-unit 5
create c6 $(uuid 6) $P mdevagg-pair 2
PLAN
check_apply refused 2 "c5=refused c6=refused"
check_eq "refused: nothing written (devices, uevents, definitions)" \
    "$before_devices $before_uevents $before_definitions" "$(devices) $(uevents) $(definitions_state)"

# --- A device held open through VFIO (as by a VM): the driver answers EBUSY to an aggregation write, and the
# kernel (6.1's vfio_unregister_group_dev) makes a remove wait until the holder closes it: no EBUSY on remove, the
# executor's write blocks
"$LAB/vfio-hold" "$(uuid 7)" >"$LAB/vfio-hold.out" 2>&1 &
holder=$!
for _ in $(seq 100); do
    grep -q '^held' "$LAB/vfio-hold.out" && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.2
done
check_eq "vfio-hold opens d7 through VFIO" "held $(uuid 7)" "$(cat "$LAB/vfio-hold.out")"
check_eq "driver: aggregation of an open device is EBUSY" "Device or resource busy" \
    "$(write_error "$(aggregation_file 7)" 2)"
plan <<PLAN >"$LAB/plans/remove-open.json"
remove r7 $(uuid 7)
PLAN
(
    rc=0
    executor apply --plan "$LAB/plans/remove-open.json" >"$LAB/apply/remove-open.json" 2>"$LAB/apply/remove-open.err" \
        || rc=$?
    echo "$rc" >"$LAB/apply/remove-open.rc"
) &
remover=$!
# the core deletes the remove file before it waits for the device to be released
for _ in $(seq 300); do
    [[ -e $(device_dir "$(uuid 7)")/remove ]] || break
    sleep 0.2
done
sleep 2
# meanwhile the device has left the bus and its type's devices/ (no mdev listing shows it), but it is still a child
# of its parent and still holds its unit: an inventory taken now cannot see what holds the capacity
check_eq "remove of an open device: the executor waits in the kernel, the device is unlisted but holds its unit" \
    "waiting unlisted child-of-parent mdevagg-pair=3 mdevagg-unit=6" \
    "$(kill -0 "$remover" 2>/dev/null && echo waiting || echo returned) $([[ -e $(device_dir "$(uuid 7)") ]] && echo listed || echo unlisted) $([[ -d /sys/class/mdev_bus/$P/$(uuid 7) ]] && echo child-of-parent || echo gone) $(availables $P)"
kill "$holder"
wait "$holder" || true
wait "$remover" || true
APPLY_RC=$(cat "$LAB/apply/remove-open.rc")   # what apply_file sets, for check_apply
check_apply remove-open 0 "r7=done"
check_eq "remove-open: once closed, the device and its definition are gone, its unit is free" \
    "d1:mdevagg-unit*3 d2:mdevagg-pair d1:mdevagg/mdevagg-unit/auto/mdev/aggregation=3,mdev/weight=4 d2:mdevagg/mdevagg-pair/auto mdevagg-pair=3 mdevagg-unit=7" \
    "$(devices) $(definitions) $(availables $P)"

# --- mdevctl starts the aggregated device with its attributes in order, and the executor's inventory sees it
mdevctl list --defined >"$LAB/mdevctl-list-defined.txt" 2>&1 || true
for n in 1 2; do
    printf 1 >"$(device_dir "$(uuid "$n")")/remove"
done
check_eq "mdevctl: every device removed" "" "$(devices)"
out=$(mdevctl start-parent-mdevs $P 2>&1) || fail "mdevctl start-parent-mdevs $P" "$out"
check_eq "mdevctl start-parent-mdevs creates d1 aggregated with its weight, and d2" \
    "d1:mdevagg-unit*3 d2:mdevagg-pair weight=4" "$(devices) weight=$(cat "$(device_dir "$(uuid 1)")/mdev/weight")"
snapshot after-mdevctl --inventory
check_eq "the executor's inventory sees the aggregated device mdevctl created" \
    "$(uuid 1):mdevagg-unit:3 $(uuid 2):mdevagg-pair:1" \
    "$(jq -r '.parents[] | .devices[] | "\(.uuid):\(.type):\(.instances // 1)"' \
        "$LAB/snapshots/$(printf '%03d' "$STEP")-after-mdevctl.json" | paste -sd ' ')"
