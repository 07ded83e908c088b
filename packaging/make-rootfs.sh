#!/usr/bin/env bash
# Makes the part of the container image that Jib does not: a root file system with a jlinked
# Java 17 runtime, the shared libraries it and the bundled natives (RocksDB, TensorFlow) need,
# copied from this (Debian/glibc) machine as `ldd` resolves them, a passwd entry for the
# non-root user, /tmp, the node home and the shipped models. Jib adds it to a `scratch` image as
# its extra directory (testnet/pom.xml, profile `image`); no base image is pulled from a
# registry, so nothing but Maven Central is needed.
#
#   packaging/make-rootfs.sh OUT_DIR LIB_DIR
#
# LIB_DIR is testnet/target/lib (the runtime jars: the RocksDB and TensorFlow natives are read
# from them only to ask ldd what they link). JAVA_HOME selects the JDK whose jmods jlink uses
# (default: the one `javac` on PATH belongs to). Runs in ~15 s; called by `mvn -Pimage package`.
set -euo pipefail

out="${1:?usage: make-rootfs.sh OUT_DIR LIB_DIR}"
libs="$(cd "${2:?usage: make-rootfs.sh OUT_DIR LIB_DIR}" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

if [ -z "${JAVA_HOME:-}" ] || [ ! -d "${JAVA_HOME}/jmods" ]; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
fi
[ -d "$JAVA_HOME/jmods" ] || { echo "make-rootfs: no jmods in $JAVA_HOME (need a full JDK 17)" >&2; exit 1; }
version="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "$version" = "17" ] || { echo "make-rootfs: $JAVA_HOME is Java $version, the image runs Java 17" >&2; exit 1; }
[ "$(uname -m)" = "x86_64" ] || { echo "make-rootfs: only x86_64 (TensorFlow natives are linux-x86_64)" >&2; exit 1; }

# The modules: what `jdeps -s` reports for prosima.jar and every runtime jar (java.base,
# java.compiler, java.datatransfer, java.desktop (ImageIO), java.logging, java.management,
# java.naming, java.sql, java.xml, jdk.httpserver (Prometheus), jdk.management, jdk.unsupported
# (Netty, protobuf)), plus what is loaded as a service and so invisible to jdeps:
# jdk.crypto.ec (SunEC: Ed25519/X25519 in TLS 1.3), jdk.naming.dns (gRPC's DNS resolver),
# jdk.zipfs, jdk.charsets, jdk.localedata is left out (English only). Re-check after adding a
# dependency: for j in testnet/target/lib/*.jar; do jdeps --ignore-missing-deps --multi-release 17 -s $j; done
modules=java.base,java.compiler,java.datatransfer,java.desktop,java.logging,java.management
modules+=,java.naming,java.sql,java.xml,jdk.httpserver,jdk.management,jdk.unsupported
modules+=,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs,jdk.charsets

rm -rf "$out"
mkdir -p "$out"
# No X11 in the image: the node runs headless (-Djava.awt.headless=true), so the AWT X11 and
# splash-screen libraries (which link libX11 and friends) are left out.
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$out/opt/java" \
  --strip-debug --no-header-files --no-man-pages --dedup-legal-notices=error-if-not-same-content \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libatk-wrapper.so'

# The natives that are loaded from jars at run time, unpacked only to ask ldd what they link.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" &&
  unzip -q -j "$(ls "$libs"/rocksdbjni-*.jar)" librocksdbjni-linux64.so &&
  unzip -q -j "$(ls "$libs"/tensorflow-core-api-*-linux-x86_64.jar)" 'org/tensorflow/internal/c_api/linux-x86_64/*')

mkdir -p "$out/lib/x86_64-linux-gnu" "$out/lib64"
elves=("$out/opt/java/bin/"* "$out/opt/java/lib/"*.so "$out/opt/java/lib/server/libjvm.so" "$out/opt/java/lib/jspawnhelper" "$scratch/"*)
# glibc loads these with dlopen (so ldd does not list them): libgcc_s for thread unwinding,
# the NSS modules for /etc/passwd and /etc/hosts look-ups.
extra=(/lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2)
missing=""
declare -A copied=()
for elf in "${elves[@]}"; do
  [ -f "$elf" ] || continue
  [ "$(head -c 4 "$elf" | tail -c 3)" = "ELF" ] || continue
  while read -r line; do
    case "$line" in
      *"not found"*)
        name="${line%% *}"
        # Libraries of the same runtime are found next to each other via $ORIGIN at run time.
        [ -e "$out/opt/java/lib/$name" ] || [ -e "$out/opt/java/lib/server/$name" ] || [ -e "$scratch/$name" ] ||
          missing+=" $name (needed by $(basename "$elf"))"
        ;;
      *"=> /"*)
        path="${line#*=> }"; path="${path%% (*}"
        case "$path" in "$out"/* | "$scratch"/*) continue ;; esac
        copied["$path"]=1
        ;;
      /*ld-linux*)
        copied["${line%% (*}"]=1
        ;;
    esac
  done < <(ldd "$elf" 2>/dev/null || true)
done
[ -z "$missing" ] || { echo "make-rootfs: ldd found no library for:$missing" >&2; exit 1; }
for path in "${extra[@]}"; do [ -e "$path" ] && copied["$path"]=1; done
for path in "${!copied[@]}"; do
  # Under the name the program asks for (the soname link), with the real file's content.
  cp -L "$path" "$out/lib/x86_64-linux-gnu/$(basename "$path")"
done
# The program interpreter is named by absolute path in every ELF executable.
cp -L /lib64/ld-linux-x86-64.so.2 "$out/lib64/ld-linux-x86-64.so.2"

mkdir -p "$out/etc" "$out/tmp" "$out/var/lib/prosima" "$out/opt/prosima/imaging"
cat > "$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
prosima:x:10001:10001:Prosima node:/var/lib/prosima:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat > "$out/etc/group" <<'EOF'
root:x:0:
prosima:x:10001:
nogroup:x:65534:
EOF
cat > "$out/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF
# Docker and Podman mount their own /etc/hosts; this one serves a plain chroot.
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$out/etc/hosts"
cp -r "$repo/imaging/models" "$out/opt/prosima/imaging/models"

# Reproducible input for Jib: it stamps its own times, but keep the tree's listing stable.
find "$out" -exec touch -h -d @1 {} +
echo "make-rootfs: $(du -sh "$out" | cut -f1) in $out ($(ls "$out/lib/x86_64-linux-gnu" | wc -l) shared libraries)" >&2
