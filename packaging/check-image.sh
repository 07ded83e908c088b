#!/usr/bin/env bash
# Runs the image tarball without Docker: unpacks its OCI layers in order into a directory and
# runs the image's own entrypoint there as its own user and working directory (a private mount
# and PID namespace with /proc and /dev, like a container runtime gives; the host's network, so
# the node is reachable on loopback). Checks, in the image:
#   1. the default command (`--help`) prints the CLI's usage;
#   2. `genesis init --validators N` (N = CHECK_VALIDATORS, default 1) writes a chain into the
#      volume /var/lib/prosima;
#   3. `node start` of each validator (each a process of the image, as N containers on one host
#      network would be) commits blocks: `query status` (also run in the image, over gRPC with
#      mutual TLS) sees height >= 2 within 120 s; with N > 1 the validators reach each other over
#      p2p TLS;
#   4. `image reconstruct` loads the bundled TensorFlow natives and shipped models (skip with
#      CHECK_TENSORFLOW=0).
# Needs root (unshare, mount), util-linux, procps (pgrep), python3 (to read the image's JSON), tar.
#
#   packaging/check-image.sh [testnet/target/prosima-image.tar | testnet/target/prosima-image-docker.tar]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball="$(readlink -f "${1:-$here/../testnet/target/prosima-image.tar}")"
[ -f "$tarball" ] || { echo "check-image: no $tarball (build it: packaging/build-image.sh)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "check-image: run as root (unshare, mount, chroot)" >&2; exit 1; }

work="$(mktemp -d /tmp/prosima-image-check.XXXXXX)"
validators="${CHECK_VALIDATORS:-1}"
node_pids=()
cleanup() {
  for pid in "${node_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && stop_in_image "$pid"
  done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/oci" "$work/rootfs"
tar -xf "$tarball" -C "$work/oci"

# index.json -> manifest -> config and layers (in order), as a runtime reads them; or the
# `docker save` manifest.json (IMAGE_FORMAT=Docker).
read_image() {
  python3 - "$work/oci" <<'EOF'
import json, sys, os
oci = sys.argv[1]
blob = lambda d: os.path.join(oci, "blobs", *d.split(":"))
if os.path.exists(os.path.join(oci, "index.json")):  # OCI image layout
    index = json.load(open(os.path.join(oci, "index.json")))
    manifest = json.load(open(blob(index["manifests"][0]["digest"])))
    config = json.load(open(blob(manifest["config"]["digest"])))["config"]
    layers = [(l["mediaType"], blob(l["digest"])) for l in manifest["layers"]]
else:  # `docker save` format: manifest.json names the config and the layer files
    manifest = json.load(open(os.path.join(oci, "manifest.json")))[0]
    config = json.load(open(os.path.join(oci, manifest["Config"])))["config"]
    layers = [("tar+gzip" if l.endswith(".gz") else "tar", os.path.join(oci, l))
              for l in manifest["Layers"]]
print("USER=" + config.get("User", "0:0"))
print("WORKDIR=" + config.get("WorkingDir", "/"))
print("ENV=" + " ".join(config.get("Env", [])))
print("ENTRYPOINT=" + "\x1f".join(config.get("Entrypoint", [])))
print("CMD=" + "\x1f".join(config.get("Cmd", [])))
for media, path in layers:
    print("LAYER=" + media + " " + path)
EOF
}
entrypoint=() cmd=() env_vars=() layers=()
user="" workdir=""
while IFS= read -r line; do
  case "$line" in
    USER=*) user="${line#USER=}" ;;
    WORKDIR=*) workdir="${line#WORKDIR=}" ;;
    ENV=*) read -r -a env_vars <<< "${line#ENV=}" ;;
    ENTRYPOINT=*) IFS=$'\x1f' read -r -a entrypoint <<< "${line#ENTRYPOINT=}" ;;
    CMD=*) IFS=$'\x1f' read -r -a cmd <<< "${line#CMD=}" ;;
    LAYER=*) layers+=("${line#LAYER=}") ;;
  esac
done < <(read_image)

echo "check-image: $tarball ($(du -h "$tarball" | cut -f1)), ${#layers[@]} layers"
echo "check-image: entrypoint: ${entrypoint[*]}"
echo "check-image: user $user, working directory $workdir, env ${env_vars[*]}"
for layer in "${layers[@]}"; do
  media="${layer%% *}" path="${layer#* }"
  case "$media" in
    *tar+gzip) tar -xzpf "$path" --numeric-owner --warning=no-unknown-keyword -C "$work/rootfs" ;;
    *tar) tar -xpf "$path" --numeric-owner --warning=no-unknown-keyword -C "$work/rootfs" ;;
    *) echo "check-image: unsupported layer type $media" >&2; exit 1 ;;
  esac
  # Jib's layers from `scratch` delete nothing; a whiteout would need a real runtime.
  if tar -tzf "$path" 2>/dev/null | grep -q '/\.wh\.'; then
    echo "check-image: layer $path has whiteouts, not handled here" >&2; exit 1
  fi
done
echo "check-image: unpacked into $work/rootfs: $(du -sh "$work/rootfs" | cut -f1)"

# What a runtime adds: /proc and /dev mount points; the volume, owned by the image's user as a
# bind-mounted host directory must be (README: chown 10001:10001).
mkdir -p "$work/rootfs/proc" "$work/rootfs/dev"
chown "$user" "$work/rootfs$workdir"
uid="${user%%:*}" gid="${user##*:}"

# The command line that runs "$@" in the image as the container would: ENTRYPOINT + "$@", with
# the image's Env only. In it, the entrypoint's java is PID 1 of the new PID namespace and a
# child of the outer unshare (the inner unshare and sh exec into it).
unshare_bin="$(command -v unshare)" mount_bin="$(command -v mount)"
image_argv() {
  argv=(env -i "${env_vars[@]}" "$unshare_bin" --mount --pid --fork /bin/sh -c '
    unshare_bin="$1" mount_bin="$2" root="$3" wd="$4" uid="$5" gid="$6"; shift 6
    "$mount_bin" -t proc proc "$root/proc" && "$mount_bin" --rbind /dev "$root/dev" || exit 125
    exec "$unshare_bin" --root="$root" --wd="$wd" --setuid "$uid" --setgid "$gid" "$@"' \
    sh "$unshare_bin" "$mount_bin" "$work/rootfs" "$workdir" "$uid" "$gid" "${entrypoint[@]}" "$@")
}
in_image() {
  local argv
  image_argv "$@"
  "${argv[@]}"
}
# Stops what `image_argv ...; exec "${argv[@]}"` started in the background as $1 (the outer
# unshare): SIGTERM to its child, the image's java, as `docker stop` would send it. (unshare's
# --kill-child would not reach it: the parent-death signal is cleared when the inner unshare
# changes the user.) Sets stopped_rc to its exit status. Not in a subshell: only this shell can
# wait for it.
stop_in_image() {
  local child
  child="$(pgrep -P "$1" || true)"
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
  wait "$1" && stopped_rc=0 || stopped_rc=$?
}

echo
echo "== 1. default command: ${cmd[*]}"
in_image "${cmd[@]}" > "$work/help.txt" 2>&1 || { cat "$work/help.txt"; exit 1; }
head -n 4 "$work/help.txt"
grep -q 'node' "$work/help.txt" || { echo "check-image: --help does not list commands" >&2; exit 1; }

# A port range nobody else on the machine is likely to use right now.
base_port=$((30000 + RANDOM % 20000))
echo
echo "== 2. genesis init --validators $validators --out $workdir/chain --base-port $base_port"
in_image genesis init --validators "$validators" --out "$workdir/chain" --base-port "$base_port" 2>&1 | tail -n 3
ls -l "$work/rootfs$workdir/chain/validator-0"

echo
echo "== 3. node start --home $workdir/chain/validator-I for $validators validator(s) (for up to 120 s)"
for i in $(seq 0 $((validators - 1))); do
  (image_argv node start --home "$workdir/chain/validator-$i" && exec "${argv[@]}") > "$work/node-$i.log" 2>&1 &
  node_pids+=($!)
done
height=0
for _ in $(seq 1 120); do
  sleep 1
  for i in "${!node_pids[@]}"; do
    kill -0 "${node_pids[$i]}" 2>/dev/null ||
      { echo "check-image: validator-$i exited" >&2; cat "$work/node-$i.log" >&2; exit 1; }
  done
  status="$(in_image query status --genesis "$workdir/chain/genesis.json" \
    --key "$workdir/chain/clients/auditor-0.key.json" 2>/dev/null || true)"
  height="$(sed -n 's/^chain .* height \([0-9]*\)$/\1/p' <<< "$status")"
  [ "${height:-0}" -ge 2 ] && break
done
echo "$status"
for i in "${!node_pids[@]}"; do
  echo "validator-$i: $(grep -c 'p2p: connected' "$work/node-$i.log" || true) p2p connections;" \
    "$(grep 'committed' "$work/node-$i.log" | tail -n 1 | sed 's/.* - //')"
done
for i in "${!node_pids[@]}"; do
  stop_in_image "${node_pids[$i]}"
  echo "validator-$i stopped by SIGTERM, exit $stopped_rc"
done
node_pids=()
if pgrep -f "$work/rootfs" > /dev/null; then
  echo "check-image: a process of the image is still running" >&2; exit 1
fi
[ "${height:-0}" -ge 2 ] ||
  { echo "check-image: no block committed" >&2; cat "$work"/node-*.log >&2; exit 1; }

if [ "${CHECK_TENSORFLOW:-1}" = 1 ]; then
  echo
  echo "== 4. image reconstruct (TensorFlow natives and shipped models from the image)"
  python3 - "$work/rootfs$workdir/noisy.png" <<'EOF'
import struct, sys, zlib, random
random.seed(7)
w = h = 128
rows = b"".join(b"\x00" + bytes(min(255, max(0, 100 + (x // 8) * 4 + random.randint(-20, 20)))
                                 for x in range(w)) for _ in range(h))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
EOF
  chown "$user" "$work/rootfs$workdir/noisy.png"
  in_image image reconstruct "$workdir/noisy.png" "$workdir/clean.png" 2>&1 | tail -n 3
  [ -s "$work/rootfs$workdir/clean.png" ] || { echo "check-image: no reconstruction written" >&2; exit 1; }
  echo "wrote $workdir/clean.png ($(stat -c %s "$work/rootfs$workdir/clean.png") bytes)"
fi

echo
echo "check-image: OK"
