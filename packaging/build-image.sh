#!/usr/bin/env bash
# Builds the container image tarball without Docker: the whole project (tests skipped), then, in
# testnet, packaging/make-rootfs.sh and Jib's buildTar (profile `image` in testnet/pom.xml).
# Writes testnet/target/prosima-image.tar (OCI image layout) and prints its size and digest;
# with IMAGE_FORMAT=Docker, testnet/target/prosima-image-docker.tar in `docker save` format
# instead, for a Docker that does not load OCI layouts.
# The first run needs Maven Central for the plugins (jib-maven-plugin 3.5.2, exec-maven-plugin);
# later runs work offline: packaging/build-image.sh -o
#
#   packaging/build-image.sh [extra Maven options]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
start=$(date +%s)
case "${IMAGE_FORMAT:-OCI}" in
  OCI) tar="testnet/target/prosima-image.tar" ;;
  Docker) tar="testnet/target/prosima-image-docker.tar" ;;
  *) echo "build-image: IMAGE_FORMAT is OCI or Docker" >&2; exit 2 ;;
esac
# The whole reactor, not -pl testnet: the image must hold this tree's modules, not whatever
# SNAPSHOT jars the local Maven repository has.
mvn -B -q -Pimage -DskipTests -Djib.disableUpdateChecks=true \
  -Djib.container.format="${IMAGE_FORMAT:-OCI}" -Djib.outputPaths.tar="$repo/$tar" "$@" package
echo "build-image: $tar $(du -h "$tar" | cut -f1) ($(stat -c %s "$tar") bytes) in $(( $(date +%s) - start )) s"
echo "build-image: image $(cat testnet/target/jib-image.digest) (config $(cat testnet/target/jib-image.id))"
