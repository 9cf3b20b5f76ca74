#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) as the real VS Code our
# extension tests and the demo run in. It is a test tool, not a project dependency: it lives in
# ~/.cache/driftline/code-server-<version>, and a second run returns at once.
# Everything comes from the npm registry and Debian: @vscode/ripgrep and node-gyp would otherwise download
# from GitHub and nodejs.org, which are out of reach, hence the pre-seeded ripgrep cache and nodedir.
# Prints the path of code-server's entry.js on its last line.
set -euo pipefail

version=4.100.3
cache="${DRIFTLINE_CACHE:-$HOME/.cache/driftline}"
dest="$cache/code-server-$version"
entry="$dest/node_modules/code-server/out/node/entry.js"

bash "$(dirname "$0")/../tools/ensure-apt-packages.sh"

if [[ -f "$dest/.complete" && -f "$entry" ]]; then
  echo "$entry"
  exit 0
fi

mkdir -p "$cache"
staging="$(mktemp -d "$cache/code-server-$version.partial.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

# @vscode/ripgrep's postinstall looks in $TMPDIR/vscode-ripgrep-cache-<its version> before downloading.
export TMPDIR="$staging/tmp"
rg_cache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache" "$staging/rg"
cp /usr/bin/rg "$staging/rg/rg"
tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$staging/rg" rg

export npm_config_unsafe_perm=true  # code-server's postinstall refuses to run as root without it
export npm_config_nodedir=/usr      # node-gyp builds against /usr/include/node instead of downloading headers
export npm_config_yes=true          # node-pty's install runs `npx node-gyp`, which would prompt
echo "install-code-server: npm install code-server@$version (about 2 minutes)" >&2
mkdir -p "$staging/pkg"
echo '{"name":"driftline-code-server","private":true}' > "$staging/pkg/package.json"
(cd "$staging/pkg" && npm install "code-server@$version" --no-audit --no-fund --no-save --foreground-scripts >&2)

rm -rf "$dest"
mv "$staging/pkg" "$dest"
touch "$dest/.complete"
echo "$entry"
