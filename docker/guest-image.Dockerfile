# Prepares the NovaCron test guest (Debian cloud kernel + busybox initramfs) into /var/lib/novacron/images, the volume
# the control plane and the agent share for boot images. Idempotent: it exits at once when the image is complete.
# Build from the repository root: docker build -f docker/guest-image.Dockerfile -t novacron-guest-image .
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends busybox-static cpio xz-utils zstd ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/prepare-guest-image.sh /usr/local/bin/prepare-guest-image.sh
# The script fetches the kernel package with apt-get download, so it needs the package lists at run time.
ENTRYPOINT ["sh", "-c", "apt-get update -qq && sh /usr/local/bin/prepare-guest-image.sh /var/lib/novacron"]
