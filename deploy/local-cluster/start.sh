#!/usr/bin/env bash
# Starts a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager) on 127.0.0.1 with its
# state in DIR, building whatever is missing first. When it is up it prints the path of DIR/admin.kubeconfig and
# stays in the foreground until Ctrl-C or SIGTERM; then it stops all three. A second start on DIR reuses its data.
#
#   deploy/local-cluster/start.sh DIR [--apiserver-port N] [--etcd-port N] [--apiserver-flags "..."]
set -euo pipefail
if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 DIR [--apiserver-port N] [--etcd-port N] [--apiserver-flags \"...\"]" >&2
  exit 2
fi
dir="$1"; shift
bin="$("$(dirname "${BASH_SOURCE[0]}")/build.sh" | tail -n 1)"
# exec: the launcher receives the signals and its parent (the caller) is watched directly.
exec "$bin/local-cluster" -dir "$dir" -bin "$bin" "$@"
