#!/usr/bin/env bash
# The one command that passes all tests on a fresh machine of this kind.
# It installs what the tests need (Chromium, Node test tools: the s3rver S3 stand-in and
# the vega-datasets sample data), builds the solution and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Real Chromium for the browser tests (Debian's; Playwright never downloads its own).
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing chromium"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

# PostgreSQL for the PostgreSQL connector tests: each run starts a private cluster with initdb/pg_ctl.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> installing postgresql"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi

# Node tools: s3rver (a real S3 server process) and the vega-datasets sample data.
tools="$root/.tools"
if [ ! -f "$tools/node_modules/s3rver/bin/s3rver.js" ] || [ ! -f "$tools/node_modules/vega-datasets/package.json" ]; then
  echo "==> installing test tools into .tools/"
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"name":"ratatouille-test-tools","private":true}' > "$tools/package.json"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error s3rver@3.7.1 vega-datasets@3.2.1)
fi
# s3rver 3.7.1 answers with a wrong XML namespace; without this the Minio SDK lists nothing.
sed -i 's#http://doc.s3.amazonaws.com/2006-03-01/#http://s3.amazonaws.com/doc/2006-03-01/#g' "$tools"/node_modules/s3rver/lib/controllers/*.js

echo "==> building"
dotnet build Ratatouille.sln -c Release -nologo -v q

echo "==> testing"
# Everything but the browser tests (test projects run side by side), then the browser tests on their own:
# real Chromium against a real server is timing-sensitive when it shares two cores with the other suites.
dotnet test Ratatouille.sln -c Release --no-build -nologo -v q --logger "console;verbosity=minimal" --filter "FullyQualifiedName!~Ratatouille.Browser.Tests" -- xunit.parallelizeTestCollections=true
dotnet test tests/Ratatouille.Browser.Tests -c Release --no-build -nologo -v q --logger "console;verbosity=minimal"

# The community-style sample connector (samples/) references only the SDK packages, as an outside author's
# plugin would: pack them, then restore the sample from that folder into a private packages folder, so a
# Ratatouille.Sdk 1.0.0 cached from an earlier pack never hides a change to the SDK.
echo "==> sample community connector (built against the packed SDK)"
rm -rf artifacts/packages artifacts/sample-packages
dotnet pack sdk/Ratatouille.Sdk -c Release -o artifacts/packages -nologo -v q
dotnet pack sdk/Ratatouille.Sdk.Testing -c Release -o artifacts/packages -nologo -v q
dotnet test samples/RssConnector.Tests -c Release -nologo -v q \
  -p:RestoreAdditionalProjectSources="$root/artifacts/packages" \
  -p:RestorePackagesPath="$root/artifacts/sample-packages"
