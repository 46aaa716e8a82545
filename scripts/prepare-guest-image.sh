#!/bin/sh
# Builds the NovaCron test guest (Debian cloud kernel + busybox initramfs) into
# DATA_DIR/images/novacron-test-guest/{vmlinuz,initrd.img,cmdline}.
# Idempotent: does nothing when the image is already complete. Needs no root:
# `apt-get download` and `dpkg-deb -x` work as any user.
#
# The guest prints on ttyS0:
#   NOVACRON-GUEST BOOTED kernel=<release> cpus=<n> mem_kb=<n>
#   NOVACRON-DISK-SIZE bytes=<n>                  (when a virtio disk /dev/vda is attached)
#   NOVACRON-DISK boots=<n> marker=<text>        (when a virtio disk /dev/vda is attached)
#   NOVACRON-HEARTBEAT <counter>                  (every 2 seconds)
# Kernel command-line flags: novacron.load=1 starts a CPU busy loop.
# ACPI power button (QMP system_powerdown) powers the guest off through busybox acpid.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 DATA_DIR" >&2
    exit 2
fi

DATA_DIR=$1
OUT="$DATA_DIR/images/novacron-test-guest"
STEPS=5
# Bump when the guest changes so cached images are rebuilt.
GUEST_VERSION=4
step() { echo "[guest-image] step $1/$STEPS: $2"; }

if [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ] && [ -s "$OUT/cmdline" ] \
    && [ "$(cat "$OUT/version" 2>/dev/null)" = "$GUEST_VERSION" ]; then
    echo "[guest-image] already built in $OUT, nothing to do"
    exit 0
fi

for tool in apt-get apt-cache dpkg-deb cpio gzip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "[guest-image] missing tool: $tool" >&2; exit 1; }
done
BUSYBOX=/bin/busybox
if ! "$BUSYBOX" --list 2>/dev/null | grep -qx mke2fs; then
    echo "[guest-image] $BUSYBOX is not busybox-static (apt-get install busybox-static)" >&2
    exit 1
fi

mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/novacron-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

step 1 "resolving kernel package"
KPKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n 1)
if [ -z "$KPKG" ]; then
    echo "[guest-image] cannot resolve linux-image-cloud-amd64 (run apt-get update?)" >&2
    exit 1
fi
echo "[guest-image] kernel package: $KPKG"

step 2 "downloading and unpacking $KPKG"
# apt-get download writes into the current directory; _apt cannot write to a
# private temp dir when running as root, which only produces a warning.
(cd "$WORK" && apt-get download -q "$KPKG" >/dev/null 2>&1)
dpkg-deb -x "$WORK"/"$KPKG"_*.deb "$WORK/kernel"
KREL=$(ls "$WORK/kernel/lib/modules")
MODDIR="$WORK/kernel/lib/modules/$KREL/kernel"

step 3 "building initramfs root"
ROOT="$WORK/root"
mkdir -p "$ROOT/bin" "$ROOT/sbin" "$ROOT/usr/bin" "$ROOT/usr/sbin" "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" \
    "$ROOT/mnt/disk" "$ROOT/tmp" "$ROOT/lib/modules" "$ROOT/etc/acpi/PWRF"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$ROOT/bin/$applet"
done

# Modules the cloud kernel builds as modules but the guest needs, in dependency
# order (ext4, which also serves ext2, is built in). Copy plain .ko or unpack .ko.xz.
MODULES="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev
drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk drivers/input/evdev
drivers/acpi/button"
: > "$ROOT/lib/modules/order"
for m in $MODULES; do
    name=$(basename "$m")
    if [ -f "$MODDIR/$m.ko" ]; then
        cp "$MODDIR/$m.ko" "$ROOT/lib/modules/$name.ko"
    elif [ -f "$MODDIR/$m.ko.xz" ]; then
        xz -dc "$MODDIR/$m.ko.xz" > "$ROOT/lib/modules/$name.ko"
    elif grep -q "kernel/$m.ko" "$WORK/kernel/lib/modules/$KREL/modules.builtin"; then
        continue
    else
        echo "[guest-image] module $m not found in $KPKG" >&2
        exit 1
    fi
    echo "$name" >> "$ROOT/lib/modules/order"
done

# busybox acpid maps the power button to action PWRF/00000080 and runs it from the conf dir.
cat > "$ROOT/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
# acpid runs actions detached from the console: write to the serial port itself.
echo "NOVACRON-POWERDOWN" > /dev/ttyS0
sync
umount /mnt/disk 2>/dev/null
poweroff -f
EOF
chmod +x "$ROOT/etc/acpi/PWRF/00000080"

cat > "$ROOT/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec >/dev/ttyS0 2>&1 </dev/ttyS0

for m in $(cat /lib/modules/order); do
    insmod "/lib/modules/$m.ko" 2>/dev/null
done

mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
echo "NOVACRON-GUEST BOOTED kernel=$(uname -r) cpus=$(nproc) mem_kb=$mem_kb"

# busybox acpid reads /dev/input/event* (evdev + button modules).
acpid -c /etc/acpi -l /tmp/acpid.log 2>/dev/null

# udev is absent: give the virtio disk a moment to show up after its module loads.
i=0
if ls /sys/bus/virtio/drivers/virtio_blk/ 2>/dev/null | grep -q '^virtio'; then
    while [ ! -b /dev/vda ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
fi
if [ -b /dev/vda ]; then
    echo "NOVACRON-DISK-SIZE bytes=$(( $(cat /sys/block/vda/size) * 512 ))"
    # Format only a blank disk (its first 64 KiB all zero): a disk the guest was booted from, or any disk that
    # holds something else, is never overwritten.
    mounted=0
    if mount -t ext2 /dev/vda /mnt/disk 2>/dev/null; then
        mounted=1
    elif [ -z "$(dd if=/dev/vda bs=65536 count=1 2>/dev/null | tr -d '\000' | head -c 1)" ]; then
        mke2fs -q /dev/vda >/dev/null 2>&1 && mount -t ext2 /dev/vda /mnt/disk && mounted=1
    fi
    if [ "$mounted" = 1 ]; then
        boots=$(cat /mnt/disk/boots 2>/dev/null || echo 0)
        boots=$((boots + 1))
        echo "$boots" > /mnt/disk/boots
        [ -f /mnt/disk/marker ] || echo "novacron-$(date +%s)" > /mnt/disk/marker
        sync
        echo "NOVACRON-DISK boots=$boots marker=$(cat /mnt/disk/marker)"
    else
        echo "NOVACRON-DISK not-blank: left untouched"
    fi
fi

if grep -q 'novacron.load=1' /proc/cmdline; then
    echo "NOVACRON-LOAD started"
    (while :; do :; done) &
fi

n=0
while :; do
    n=$((n + 1))
    echo "NOVACRON-HEARTBEAT $n"
    sleep 2
done
EOF
chmod +x "$ROOT/init"

step 4 "packing initrd.img and kernel"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -9) > "$WORK/initrd.img"
cp "$WORK/kernel/boot/vmlinuz-$KREL" "$WORK/vmlinuz"

step 5 "installing into $OUT"
echo "console=ttyS0 panic=-1 quiet" > "$WORK/cmdline"
# Publish the cmdline last so a half-built image is never taken as complete.
rm -f "$OUT/cmdline"
mv "$WORK/vmlinuz" "$OUT/vmlinuz"
mv "$WORK/initrd.img" "$OUT/initrd.img"
echo "$GUEST_VERSION" > "$OUT/version"
mv "$WORK/cmdline" "$OUT/cmdline"
echo "[guest-image] done: $OUT (kernel $KREL)"
