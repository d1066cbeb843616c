#!/usr/bin/env bash
# Installs the real-world spec corpus from the npm registry into .cache/corpus
# (git-ignored; third-party data is never committed):
#   @readme/oas-examples  OpenAPI examples (2.0, 3.0, 3.1), JSON and YAML
#   @octokit/openapi      GitHub's REST API spec (generated/api.github.com.json)
# Versions are pinned so that the corpus test sees the same specs every run.
# Does nothing when they are already installed. `cargo xtask test` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.cache/corpus
packages=("@readme/oas-examples@8.2.2" "@octokit/openapi@23.0.2")

installed_version() {
    local manifest="$dir/node_modules/$1/package.json"
    [ -f "$manifest" ] && sed -n 's/^  "version": "\(.*\)",$/\1/p' "$manifest"
}

missing=()
for package in "${packages[@]}"; do
    name="${package%@*}"
    version="${package##*@}"
    if [ "$(installed_version "$name" || true)" != "$version" ]; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v npm > /dev/null; then
    echo "install-corpus: npm is needed to install ${missing[*]} (apt-get install npm)" >&2
    exit 1
fi
mkdir -p "$dir"
echo "install-corpus: installing ${missing[*]} into $dir" >&2
npm install --prefix "$dir" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error "${packages[@]}"
