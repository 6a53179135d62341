#!/usr/bin/env bash
# Builds the local control plane from the modules pinned in go.mod (next to this script) into a cache outside the
# repository: etcd, kube-apiserver, kube-controller-manager, kubectl, helm and the local-cluster launcher. Only what is
# missing is built. Progress goes to stderr; the last line on stdout is the directory holding the binaries.
#
#   LOCAL_CLUSTER_BIN_DIR=DIR     use the binaries in DIR (etcd, kube-apiserver, kube-controller-manager, kubectl,
#                                 helm) instead of building them; the launcher is still built into the cache
#   INTEGRATION_OPERATOR_CACHE    cache root (default ${XDG_CACHE_HOME:-~/.cache}/integration-operator)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { echo "local-cluster/build: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed. The tests run on a real Kubernetes control plane built from Go modules:"
  say "install Go 1.26 or newer (https://go.dev/doc/install) and put 'go' on PATH, or set LOCAL_CLUSTER_BIN_DIR"
  say "to a directory holding etcd, kube-apiserver, kube-controller-manager, kubectl and helm."
  exit 1
fi
go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [[ "$go_minor" =~ ^[0-9]+$ ]] && (( go_minor < 26 )); then
  say "Go $(go env GOVERSION) is too old: the pinned Kubernetes modules need Go 1.26 or newer."
  exit 1
fi

version_of() { awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$here/go.mod"; }
k8s="$(version_of k8s.io/kubernetes)"
etcd="$(version_of go.etcd.io/etcd/server/v3)"
helm="$(version_of helm.sh/helm/v4)"
cache_root="${INTEGRATION_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/integration-operator}"
bin="$cache_root/k8s-${k8s#v}-etcd-${etcd#v}-helm-${helm#v}"
mkdir -p "$bin"

export CGO_ENABLED=0
cd "$here"
# Builds with -trimpath and without PGO (the default profile only slows a 2-core build); -s -w drop debug data.
gobuild() { go build -trimpath -pgo=off "$@"; }

# The launcher is this project's own few hundred lines: rebuilt every time (Go's build cache makes that a second).
gobuild -o "$bin/local-cluster" ./cmd/local-cluster

if [[ -n "${LOCAL_CLUSTER_BIN_DIR:-}" ]]; then
  for tool in etcd kube-apiserver kube-controller-manager kubectl helm; do
    if [[ ! -x "$LOCAL_CLUSTER_BIN_DIR/$tool" ]]; then
      say "LOCAL_CLUSTER_BIN_DIR=$LOCAL_CLUSTER_BIN_DIR has no executable $tool"
      exit 1
    fi
    ln -sf "$LOCAL_CLUSTER_BIN_DIR/$tool" "$bin/$tool"
  done
  say "using the binaries in $LOCAL_CLUSTER_BIN_DIR"
  echo "$bin"
  exit 0
fi

minor="${k8s#v1.}"; minor="${minor%%.*}"
k8s_version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_version_flags+=" -X $pkg.gitVersion=$k8s -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

missing=()
for tool in kube-apiserver kube-controller-manager kubectl; do
  [[ -x "$bin/$tool" ]] || missing+=("k8s.io/kubernetes/cmd/$tool")
done
started=$SECONDS
if (( ${#missing[@]} > 0 )); then
  say "building ${missing[*]##*/} from k8s.io/kubernetes $k8s into $bin (a first build takes about 15 minutes on 2 cores)"
  # One invocation, so shared packages compile once; written to a temporary name so a stopped build leaves nothing
  # that looks finished.
  tmp="$(mktemp -d "$bin/.build.XXXXXX")"
  gobuild -ldflags "-s -w$k8s_version_flags" -o "$tmp/" "${missing[@]}"
  mv "$tmp"/* "$bin/" && rmdir "$tmp"
fi
if [[ ! -x "$bin/etcd" ]]; then
  say "building etcd from go.etcd.io/etcd/server/v3 $etcd"
  gobuild -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3 && mv "$bin/etcd.tmp" "$bin/etcd"
fi
if [[ ! -x "$bin/helm" ]]; then
  say "building helm from helm.sh/helm/v4 $helm"
  gobuild -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$helm" -o "$bin/helm.tmp" \
    helm.sh/helm/v4/cmd/helm && mv "$bin/helm.tmp" "$bin/helm"
fi
if (( SECONDS - started > 1 )); then
  say "built in $((SECONDS - started)) s; $(du -sh "$bin" | cut -f1) in $bin"
fi
echo "$bin"
