#!/usr/bin/env bash
# Builds the Containerfile with Podman and prints the image size and build time.
#
#   scripts/podman-build.sh [TAG]        (default localhost/pitcrew:latest)
#
# Where docker.io is reachable this is plain `podman build -f Containerfile .`. Where it is not (CI
# machines reach only Maven Central, Debian and npm), the script first makes a local base image from
# Debian's packages (debootstrap bookworm) plus this machine's JDK 21+ at /opt/java/openjdk, the
# layout of the eclipse-temurin images, and builds the same Containerfile on it through the
# BUILD_IMAGE/RUNTIME_IMAGE build arguments. The build stage reuses ~/.m2 as its Maven cache.
set -euo pipefail
cd "$(dirname "$0")/.."
TAG="${1:-localhost/pitcrew:latest}"
BASE="localhost/pitcrew-base:bookworm"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/.ci/containers.conf}"
SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq podman runc >/dev/null
fi
args=()
if ! timeout 60 podman pull -q docker.io/library/eclipse-temurin:21-jre >/dev/null 2>&1; then
  if ! podman image exists "$BASE"; then
    echo "podman-build: docker.io is unreachable; making $BASE from Debian packages and the local JDK" >&2
    command -v debootstrap >/dev/null || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq debootstrap >/dev/null; }
    JDK="${PITCREW_IMAGE_JDK:-}"
    if [[ -z "$JDK" ]]; then
      for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        if [[ -x "$d/bin/javac" ]] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JDK="$d"; break; fi
      done
    fi
    [[ -n "$JDK" ]] || { echo "podman-build: no JDK 21+ under /usr/lib/jvm for the local base image" >&2; exit 2; }
    ROOTFS="$(mktemp -d)"
    trap '$SUDO rm -rf "$ROOTFS"' EXIT
    $SUDO debootstrap --variant=minbase --include=ca-certificates bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
    $SUDO mkdir -p "$ROOTFS/opt/java"
    $SUDO cp -a "$(readlink -f "$JDK")" "$ROOTFS/opt/java/openjdk"
    $SUDO rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
    $SUDO tar -C "$ROOTFS" -c . | podman import \
      --change 'ENV JAVA_HOME=/opt/java/openjdk' \
      --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["bash"]' - "$BASE" >/dev/null
  fi
  args+=(--build-arg "BUILD_IMAGE=$BASE" --build-arg "RUNTIME_IMAGE=$BASE")
fi
mkdir -p "$HOME/.m2"
start=$(date +%s)
podman build --format docker --network=host -v "$HOME/.m2:/root/.m2" "${args[@]}" -f Containerfile -t "$TAG" .
secs=$(( $(date +%s) - start ))
size=$(podman image inspect "$TAG" --format '{{.Size}}')
echo "podman-build: built $TAG in ${secs} s; image size $(( size / 1024 / 1024 )) MiB"
podman image inspect "$TAG" --format 'user={{.Config.User}} volumes={{.Config.Volumes}} ports={{.Config.ExposedPorts}} healthcheck={{.Config.Healthcheck}}' 2>/dev/null || true
