#!/usr/bin/env bash
# Installs the Debian packages Driftline's tests, demo and benchmark need and this machine lacks; a no-op when
# all are there. The one list of them: .ci/run, `npm test`, `npm run demo` and the code-server installer call it.
# Runs apt-get as root, or through sudo.
set -euo pipefail
PACKAGES=(
  git ca-certificates curl openssl   # repos in tests, TLS for the test cluster
  jsonnet                            # Argo CD directory sources with .jsonnet files (render tests)
  dpkg-dev xz-utils                  # scripts/cluster/build-binaries.sh: dpkg-source unpacks Debian's kubernetes source
  gnupg age                          # SOPS tests: real gpg and age keys
  unzip                              # test/tools/install-helm.sh: helm comes inside an npm package's zip
  docker-registry apache2-utils      # OCI chart tests: the CNCF distribution registry on loopback, htpasswd for its auth
  chromium                           # browser tests (playwright-core drives Debian's chromium)
  build-essential python3 pkg-config libkrb5-dev ripgrep   # code-server's npm install (native modules, ripgrep)
)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
((${#missing[@]})) || exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
echo "apt-get install ${missing[*]}" >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" >&2
