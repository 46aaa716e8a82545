#!/usr/bin/env bash
# Packs the prepared test guest (kernel + initramfs) into a BIOS-bootable raw disk image: a FAT volume with the
# SYSLINUX boot loader, no partition table. It exercises NovaCron's "boot a user-supplied disk image" path with a
# real boot through SeaBIOS. Needs dosfstools, mtools and syslinux.
# Usage: scripts/make-bootable-disk.sh GUEST_DIR OUTPUT.img [qcow2]
set -euo pipefail
guest="$1"
out="$2"
format="${3:-raw}"
for tool in mkfs.vfat syslinux mcopy; do
  command -v "$tool" >/dev/null || { echo "make-bootable-disk: $tool is missing (apt-get install dosfstools syslinux mtools)" >&2; exit 1; }
done

raw="$out"
[[ "$format" == "qcow2" ]] && raw="$(mktemp --suffix=.img)"
rm -f "$raw"
truncate -s 64M "$raw"
mkfs.vfat -n NOVACRON "$raw" >/dev/null
syslinux --install "$raw"
cmdline="$(cat "$guest/cmdline")"
cfg="$(mktemp)"
printf 'DEFAULT novacron\nPROMPT 0\nTIMEOUT 0\nLABEL novacron\n  KERNEL vmlinuz\n  INITRD initrd.img\n  APPEND %s\n' "$cmdline" > "$cfg"
export MTOOLS_SKIP_CHECK=1
mcopy -i "$raw" "$guest/vmlinuz" ::vmlinuz
mcopy -i "$raw" "$guest/initrd.img" ::initrd.img
mcopy -i "$raw" "$cfg" ::syslinux.cfg
rm -f "$cfg"
if [[ "$format" == "qcow2" ]]; then
  qemu-img convert -f raw -O qcow2 "$raw" "$out"
  rm -f "$raw"
fi
echo "make-bootable-disk: wrote $out ($format)"
