#!/usr/bin/env bash
# Builds the Pulumi CLI and a Node.js language host from Go modules into .tools/bin/ (git-ignored), at the
# exact version package.json pins for @pulumi/pulumi, so the engine and the Node.js SDK always match and no
# prebuilt binary has to be downloaded (this workplace only reaches package registries).
#
#   scripts/pulumi-cli.sh            # then: export PATH="$PWD/.tools/bin:$PATH"
#
# The language host is our own (scripts/pulumi-language-nodejs/main.go): upstream's module
# github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 has no tags and the Go module proxy
# reached here refuses it (403), so there is no version of it to require.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf 'pulumi-cli: %s\n' "$*" >&2; }
die() { printf 'pulumi-cli: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go not found: install Go 1.26+ (https://go.dev/dl/) and re-run"
command -v node >/dev/null 2>&1 || die "node not found: install Node.js 20+ and re-run"

# The single source of truth for the version is package.json; a range would make the build unreproducible.
ver="$(node -p "require('./package.json').dependencies['@pulumi/pulumi']")"
[[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "package.json must pin @pulumi/pulumi exactly (got '$ver')"

bin="$root/.tools/bin"
build="$root/.tools/build-$ver"
# An update check would try the internet and stall; the version is all we need to know.
export PULUMI_SKIP_UPDATE_CHECK=true

# The host's source lives here, so an edit to it must trigger a rebuild too.
if [[ $bin/pulumi-language-nodejs -nt scripts/pulumi-language-nodejs/main.go ]] &&
  [[ "$("$bin/pulumi" version 2>/dev/null || true)" == "v$ver" ]]; then
  log "pulumi v$ver already built in .tools/bin"
  exit 0
fi

mkdir -p "$bin" "$build/pulumi-language-nodejs"
cp scripts/pulumi-language-nodejs/main.go "$build/pulumi-language-nodejs/main.go"
cd "$build"

# go.sum present means the module graph was resolved before: skip the proxy so a warm rebuild works offline.
if [[ ! -s go.sum ]]; then
  log "resolving modules for pulumi v$ver…"
  # -json puts the failure reason in .Error; a warm module cache answers without the network.
  dl="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$ver" 2>download.err || true)"
  pkgmod="$(node -e 'let j = {}; try { j = JSON.parse(process.argv[1]); } catch {}
    console.log(j.Error ? "" : j.GoMod || "")' "$dl")"
  if [[ -z $pkgmod ]]; then
    why="$(node -e 'try { console.log(JSON.parse(process.argv[1]).Error); } catch {}' "$dl")"
    die "the Go module proxy ($(go env GOPROXY)) is unreachable: ${why:-$(tail -n1 download.err)}"
  fi
  rm -f go.mod
  go mod init silkroute.local/pulumi-cli >/dev/null 2>&1
  # Replaces only apply in the main module, so repeat pkg's own (clipboard fork); its local ../sdk one is
  # covered by requiring sdk at the same version.
  while read -r rep; do
    [[ -n $rep ]] && go mod edit -replace="$rep"
  done < <(go mod edit -json "$pkgmod" | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of m.Replace || []) if (r.New.Version)
      console.log(r.Old.Path + (r.Old.Version ? "@" + r.Old.Version : "") + "=" + r.New.Path + "@" + r.New.Version);')
  go mod edit -require="github.com/pulumi/pulumi/pkg/v3@v$ver" -require="github.com/pulumi/pulumi/sdk/v3@v$ver"
  if ! out="$(go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$ver" \
    "github.com/pulumi/pulumi/sdk/v3@v$ver" ./... 2>&1)"; then
    rm -f go.sum
    die "resolving modules failed (is the Go module proxy ($(go env GOPROXY)) reachable?): $(printf '%s' "$out" | tail -n1)"
  fi
fi

# Same version stamp as pulumi's own builds, so `pulumi version` and the engine's plugin compatibility checks
# see the real version; -s -w as in release builds (a third smaller, links faster).
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$ver"
log "building pulumi and pulumi-language-nodejs v$ver (a cold build takes ~5 min on 2 cores)…"
go build -mod=mod -buildvcs=false -ldflags "$ldflags" -o "$bin/" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./pulumi-language-nodejs

# Launcher the CLI distribution ships from sdk/nodejs/dist: dynamic providers (pulumi.dynamic.Resource)
# run as the resource plugin "pulumi-nodejs", which the engine looks for next to pulumi or on PATH.
sdkdir="$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")"
install -m 0755 "$sdkdir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/"

log "built $("$bin/pulumi" version) into .tools/bin"
