#!/usr/bin/env bash
# Builds the test cluster's binaries from Debian's archive only, without installing anything into the system:
# kube-apiserver v1.20.2 from bookworm's `kubernetes` source package with bookworm's Go, and etcd from its .deb.
# Results are cached under ~/.cache/driftline/kube-<version>/bin, so a second run returns at once.
# Why 1.20.2: it is the newest kube-apiserver whose full source (with vendor/) Debian ships.
set -euo pipefail
K8S_SRC_VERSION=${K8S_SRC_VERSION:-1.20.5+really1.20.2-1.1+deb12u1}
GO_VERSION=${GO_VERSION:-1.19}
CACHE=${DRIFTLINE_CACHE:-$HOME/.cache/driftline}
OUT="$CACHE/kube-$K8S_SRC_VERSION-go$GO_VERSION"
BIN="$OUT/bin"
cached() { [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/etcd" ]; }
if cached; then echo "cached: $BIN"; exit 0; fi
# Two test runs starting at once on a fresh machine: the second waits for the first build instead of racing it.
mkdir -p "$OUT"
exec 9>"$OUT.lock"
flock 9
if cached; then echo "cached: $BIN"; exit 0; fi
bash "$(dirname "$0")/../tools/ensure-apt-packages.sh"   # apt-get source, dpkg-source, openssl
WORK="$OUT/work"
rm -rf "$WORK"; mkdir -p "$WORK"/apt/{lists/partial,cache/archives/partial,etc} "$WORK"/{debs,src,root} "$BIN"
: > "$WORK/apt/status"
printf 'deb http://deb.debian.org/debian bookworm main\ndeb-src http://deb.debian.org/debian bookworm main\n' > "$WORK/apt/etc/sources.list"
APT=(-o "Dir::State::Lists=$WORK/apt/lists" -o "Dir::Etc::SourceList=$WORK/apt/etc/sources.list"
     -o Dir::Etc::SourceParts=/nonexistent -o "Dir::Cache=$WORK/apt/cache"
     -o "Dir::State::status=$WORK/apt/status" -o APT::Sandbox::User=root)
echo "== fetching kubernetes $K8S_SRC_VERSION source, Go $GO_VERSION and etcd from deb.debian.org"
apt-get "${APT[@]}" update -q
(cd "$WORK/src" && apt-get "${APT[@]}" source --download-only "kubernetes=$K8S_SRC_VERSION")
(cd "$WORK/debs" && apt-get "${APT[@]}" download "golang-$GO_VERSION-go" "golang-$GO_VERSION-src" etcd-server/bookworm \
   golang-github-modern-go-reflect2-dev/bookworm)
for deb in "$WORK"/debs/*.deb; do dpkg -x "$deb" "$WORK/root"; done

echo "== building kube-apiserver (a few minutes)"
(cd "$WORK/src" && dpkg-source -x kubernetes_*.dsc k8s >/dev/null)
# The vendored reflect2 v1.0.1 crashes under Go >= 1.18 when serving custom resources; use Debian's 1.0.2.
rm -rf "$WORK/src/k8s/vendor/github.com/modern-go/reflect2"
cp -r "$WORK/root/usr/share/gocode/src/github.com/modern-go/reflect2" "$WORK/src/k8s/vendor/github.com/modern-go/reflect2"
LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version \
           k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
  LDFLAGS="$LDFLAGS -X $pkg.gitVersion=v1.20.2 -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitTreeState=clean -X $pkg.buildDate=2021-01-13T00:00:00Z"
done
export GOROOT="$WORK/root/usr/lib/go-$GO_VERSION" GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" \
       CGO_ENABLED=0 GOPROXY=off GOTOOLCHAIN=local GO111MODULE=off GOFLAGS=
export PATH="$GOROOT/bin:$PATH"
mkdir -p "$GOPATH/src/k8s.io"; ln -sfn "$WORK/src/k8s" "$GOPATH/src/k8s.io/kubernetes"
cd "$GOPATH/src/k8s.io/kubernetes"
# The generated OpenAPI definitions are not in the source tarball; generate them as upstream's Makefile does.
go build -o "$WORK/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
dirs=$(set +o pipefail; find -H . \( -path ./_\* -o -path ./.\* -o -path ./vendor -o -path ./debian \) -prune -o -type f -name '*.go' -print \
  | sed 's|^./staging/src|vendor|; s|^\./||' | xargs grep --color=never -l '^// *+k8s:' | xargs grep -l '+k8s:openapi-gen=' \
  | grep -vE '^vendor/k8s.io/(code-generator|sample-apiserver)/' | xargs -n1 dirname | LC_ALL=C sort -u \
  | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)
"$WORK/openapi-gen" -i "$dirs" -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
  -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$WORK/openapi-violations.report"
# providerless: no in-tree cloud providers, which a loopback server never needs
go build -tags providerless -ldflags "$LDFLAGS" -o "$BIN/kube-apiserver.tmp" ./cmd/kube-apiserver
cp "$WORK/root/usr/bin/etcd" "$BIN/etcd"
mv "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"
cd /; rm -rf "$WORK"
"$BIN/kube-apiserver" --version
echo "built: $BIN"
