#!/usr/bin/env bash
# Makes sure the Debian packages NovaCron needs are present. As root it installs what is missing;
# otherwise it prints the exact command to run and fails.
# Usage: scripts/setup-host.sh [run|test]
set -euo pipefail
purpose="${1:-run}"
packages=(qemu-system-x86 qemu-utils cpio busybox-static xz-utils zstd curl)
if [[ "$purpose" == "test" ]]; then
  packages+=(chromium postgresql dosfstools mtools syslinux)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "[setup] all packages present: ${packages[*]}"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "[setup] missing Debian packages: ${missing[*]}" >&2
  echo "[setup] install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "[setup] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[setup] installed: ${missing[*]}"
