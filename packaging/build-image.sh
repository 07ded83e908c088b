#!/usr/bin/env bash
# Builds the container image tarball without Docker: the whole project (tests skipped), then, in
# testnet, packaging/make-rootfs.sh and Jib's buildTar (profile `image` in testnet/pom.xml).
# Writes testnet/target/prosima-image.tar (OCI image layout) and prints its size and digest.
# The first run needs Maven Central for the plugins (jib-maven-plugin 3.5.2, exec-maven-plugin);
# later runs work offline: packaging/build-image.sh -o
#
#   packaging/build-image.sh [extra Maven options]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
start=$(date +%s)
mvn -B -q -Pimage -DskipTests -Djib.disableUpdateChecks=true "$@" package
tar="testnet/target/prosima-image.tar"
echo "build-image: $tar $(du -h "$tar" | cut -f1) ($(stat -c %s "$tar") bytes) in $(( $(date +%s) - start )) s"
echo "build-image: image $(cat testnet/target/jib-image.digest) (config $(cat testnet/target/jib-image.id))"
