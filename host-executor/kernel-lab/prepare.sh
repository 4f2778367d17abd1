#!/usr/bin/env bash
# Prepares what a kernel-lab boot needs and prints it as KEY=VALUE lines on stdout (progress goes to stderr):
#   KERNEL_VERSION  the Debian kernel, e.g. 6.1.0-50-amd64 (looked up, never pinned)
#   KERNEL          its uncompressed vmlinux, which QEMU boots directly
#   INITRD          busybox, /init and every module the guest loads (9p, vfio, mdev, the sample parents, ours)
#   VFIO_HOLD       the helper that holds a device open through VFIO
# Installs missing Debian packages (needs root), downloads and unpacks the kernel image (never installs it) and
# builds the modules out of tree. Everything is cached under $CACHE, keyed by kernel version and source hashes,
# so a second run builds nothing. Exits 77 when this machine cannot run the lab (not root, apt-get fails).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

TOOLS=(qemu-system-x86 busybox-static cpio kmod xz-utils make gcc libc6-dev jq mdevctl)

installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

apt_quiet() {
    local out
    if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -q -y -o APT::Sandbox::User=root "$@" 2>&1); then
        printf '%s\n' "$out" | tail -n 20 >&2
        return 1
    fi
}

apt_update() {
    log "apt-get update"
    apt_quiet update || cannot_run "apt-get update failed (output above). Fix the package mirror or the network."
}

# The kernel linux-headers-amd64 depends on today, else the newest linux-headers-*-amd64 apt knows.
kernel_version() {
    local version
    version=$(apt-cache depends linux-headers-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
    if [[ -z $version ]]; then
        version=$(apt-cache pkgnames linux-headers- 2>/dev/null \
            | sed -n 's/^linux-headers-\([0-9][^ ]*-amd64\)$/\1/p' | sort -V | tail -n 1)
    fi
    printf '%s' "$version"
}

install_missing() {
    local missing=() package
    for package in "$@"; do
        installed "$package" || missing+=("$package")
    done
    ((${#missing[@]} == 0)) && return 0
    if ((EUID != 0)); then
        cannot_run "missing packages ${missing[*]} and not root. Fix: sudo apt-get install ${missing[*]}, or run as root."
    fi
    log "apt-get install ${missing[*]}"
    if ! apt_quiet install --no-install-recommends "${missing[@]}"; then
        apt_update
        apt_quiet install --no-install-recommends "${missing[@]}" \
            || cannot_run "apt-get install ${missing[*]} failed (output above). Fix the package mirror or the network."
    fi
}

# $IMAGE: Debian's linux-image package unpacked, not installed.
unpack_image() {
    IMAGE=$CACHE/$KVER/image
    [[ -f $IMAGE/.complete ]] && return 0
    log "apt-get download linux-image-$KVER (unpacked into $IMAGE, not installed)"
    local download
    download=$(mktemp -d "$CACHE/$KVER/download.XXXXXX")
    if ! (cd "$download" && apt_quiet download "linux-image-$KVER"); then
        apt_update
        (cd "$download" && apt_quiet download "linux-image-$KVER") \
            || cannot_run "apt-get download linux-image-$KVER failed (output above). Fix the package mirror."
    fi
    rm -rf "$IMAGE"
    dpkg-deb -x "$download"/linux-image-*.deb "$IMAGE"
    rm -rf "$download"
    depmod -b "$IMAGE" "$KVER"   # the package leaves modules.dep to its postinst
    touch "$IMAGE/.complete"
}

# $SRC: the sample parents' sources and extract-vmlinux from linux-source-<series>, for its package version.
extract_sources() {
    local series tarball version
    series=$(cut -d. -f1,2 <<<"$KVER")
    tarball=/usr/src/linux-source-$series.tar.xz
    [[ -f $tarball ]] || die "$tarball is missing although linux-source-$series is installed. Fix: apt-get install --reinstall linux-source-$series"
    version=$(dpkg-query -W -f='${Version}' "linux-source-$series")
    SRC=$CACHE/$KVER/source-$version
    [[ -f $SRC/.complete ]] && return 0
    log "extracting samples/vfio-mdev and scripts/extract-vmlinux from $tarball"
    rm -rf "$SRC" && mkdir -p "$SRC"
    tar -xJf "$tarball" -C "$SRC" --strip-components=1 --wildcards '*/samples/vfio-mdev/*' '*/scripts/extract-vmlinux'
    touch "$SRC/.complete"
}

# $KERNEL: booting the uncompressed ELF skips the decompressor, which is slow under emulation.
extract_kernel() {
    KERNEL=$CACHE/$KVER/vmlinux
    [[ -s $KERNEL ]] && return 0
    log "extracting vmlinux"
    sh "$SRC/scripts/extract-vmlinux" "$IMAGE/boot/vmlinuz-$KVER" >"$KERNEL.tmp" \
        || die "extract-vmlinux failed on $IMAGE/boot/vmlinuz-$KVER"
    mv "$KERNEL.tmp" "$KERNEL"
}

# $BUILD: mtty, mbochs, mdpy and our aggregating parent built out of tree; vfio-hold beside them.
build_modules() {
    local samples=(mtty.c mbochs.c mdpy.c mdpy-defs.h) sources=() file
    for file in "${samples[@]}"; do sources+=("$SRC/samples/vfio-mdev/$file"); done
    sources+=("$LAB_DIR"/driver/*.c "$LAB_DIR"/driver/Kbuild)
    BUILD=$CACHE/$KVER/modules-$(hash_files "${sources[@]}")
    [[ -f $BUILD/.complete ]] && return 0
    log "building the mdev parents for $KVER out of tree"
    rm -rf "$BUILD" && mkdir -p "$BUILD"
    cp "${sources[@]}" "$BUILD/"
    make -C "/usr/src/linux-headers-$KVER" M="$BUILD" modules >"$BUILD/build.log" 2>&1 \
        || { tail -n 30 "$BUILD/build.log" >&2; die "building the modules failed; the log is $BUILD/build.log"; }
    gcc -O2 -Wall -Werror -o "$BUILD/vfio-hold" "$LAB_DIR/driver/vfio-hold.c" >>"$BUILD/build.log" 2>&1 \
        || { tail -n 30 "$BUILD/build.log" >&2; die "building vfio-hold failed; the log is $BUILD/build.log"; }
    touch "$BUILD/.complete"
}

# Every module file (relative to the image's lib/modules/<ver>) that loading "$@" needs.
image_module_files() {
    local module
    for module in "$@"; do
        modprobe -d "$IMAGE" -S "$KVER" --show-depends "$module" \
            || die "module $module (or one it depends on) is not in linux-image-$KVER"
    done | awk '$1 == "insmod" { print $2 }' | sed "s|^$IMAGE/lib/modules/$KVER/||" | sort -u
}

# $INITRD: the guest's initramfs, named by what went into it.
build_initramfs() {
    local busybox_version key stage needs=(9p 9pnet_virtio virtio_pci vfio_iommu_type1) deps=() ko files file
    busybox_version=$(dpkg-query -W -f='${Version}' busybox-static)
    key=$(printf '%s %s %s\n' "$KVER" "$busybox_version" "$(basename "$BUILD")" \
        | cat - "$LAB_DIR/init" | sha256sum | cut -c1-16)
    INITRD=$CACHE/$KVER/initramfs-$key.cpio.gz
    [[ -s $INITRD ]] && return 0
    log "building the initramfs"
    stage=$(mktemp -d "$CACHE/$KVER/initramfs.XXXXXX")
    mkdir -p "$stage"/{bin,dev,proc,sys,host,lib/modules/"$KVER"/{kernel,extra}}
    cp /bin/busybox "$stage/bin/busybox"
    install -m 0755 "$LAB_DIR/init" "$stage/init"
    for ko in "$BUILD"/*.ko; do
        cp "$ko" "$stage/lib/modules/$KVER/extra/"
        # what our modules need from the image (vfio, mdev, ...)
        IFS=, read -r -a deps <<<"$(modinfo -F depends "$ko")"
        needs+=("${deps[@]}")
    done
    files=$(image_module_files "${needs[@]}")
    for file in $files; do
        mkdir -p "$stage/lib/modules/$KVER/$(dirname "$file")"
        case $file in
            *.xz) xz -dc "$IMAGE/lib/modules/$KVER/$file" >"$stage/lib/modules/$KVER/${file%.xz}" ;;
            *) cp "$IMAGE/lib/modules/$KVER/$file" "$stage/lib/modules/$KVER/$file" ;;
        esac
    done
    cp "$IMAGE/lib/modules/$KVER"/modules.{builtin,builtin.modinfo,order} "$stage/lib/modules/$KVER/"
    depmod -b "$stage" "$KVER"
    (cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
    mv "$INITRD.tmp" "$INITRD"
    rm -rf "$stage"
}

main() {
    if ! mkdir -p "$CACHE" 2>/dev/null || [[ ! -w $CACHE ]]; then
        cannot_run "the cache $CACHE is not writable. Fix: run as root, or set MDEVPLAN_KERNEL_LAB_CACHE to a writable directory."
    fi
    exec 9>"$CACHE/.lock"
    flock 9   # one preparation at a time: a developer's run and CI's may share the cache
    KVER=$(kernel_version)
    if [[ -z $KVER ]]; then
        ((EUID == 0)) || cannot_run "apt knows no linux-headers-*-amd64 and only root may run apt-get update."
        apt_update
        KVER=$(kernel_version)
        [[ -n $KVER ]] || cannot_run "apt knows no linux-headers-*-amd64 even after apt-get update. Fix: add Debian's main archive to the apt sources."
    fi
    mkdir -p "$CACHE/$KVER"
    install_missing "${TOOLS[@]}" "linux-headers-$KVER" "linux-source-$(cut -d. -f1,2 <<<"$KVER")"
    unpack_image
    extract_sources
    extract_kernel
    build_modules
    build_initramfs
    printf 'KERNEL_VERSION=%s\nKERNEL=%s\nINITRD=%s\nVFIO_HOLD=%s\n' "$KVER" "$KERNEL" "$INITRD" "$BUILD/vfio-hold"
}

main "$@"
