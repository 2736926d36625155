#!/usr/bin/env bash
# NativeAOT as a user meets it: packs NnGen into a local folder, creates a console app outside the repository that
# references it, and runs it four ways: under the JIT (Release), and NativeAOT-published with the package's default
# instruction set, with IlcInstructionSet=native, and with IlcInstructionSet=x86-64-v2 (an app's own choice, which the
# package must leave alone). Each run prints the kernel path (Simd.Description), the seed MLP's and Keras's simple
# convnet's single Predict and batch-32 training step (medians of timed blocks, NNGEN_THREADS=1 unless THREADS is
# set), and their predictions after a few training steps, which must agree with the JIT's within 1e-5.
# Usage: eng/aot-check.sh [work-folder]. Fails when the default AOT publish is not on the SIMD path or disagrees.
# QUICK=1: only the JIT and the default publish, no timings (the test suite's AOT test, about two minutes).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/nngen-aot.XXXXXX)}"
feed="$work/feed" app="$work/AotApp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NNGEN_THREADS="${THREADS:-1}"
case "$work" in "$repo"/*) echo "aot-check: the work folder must be outside the repository ($repo)" >&2; exit 2;; esac
version="0.0.0-aot.$(date -u +%Y%m%d%H%M%S)"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
trap 'rm -rf "$cache"/nngen/"$version"' EXIT
fail() { echo "aot-check: FAILED: $*" >&2; exit 1; }
quiet() { local log="$work/last.log"; "$@" > "$log" 2>&1 || { cat "$log"; fail "$*"; }; }
mkdir -p "$feed"
quiet dotnet pack "$repo/src/NnGen/NnGen.csproj" -c Release -o "$feed" -p:Version="$version"
unzip -Z1 "$feed/NnGen.$version.nupkg" | grep -qx buildTransitive/NnGen.targets || fail "the package has no buildTransitive/NnGen.targets"

rm -rf "$app"
quiet dotnet new console -o "$app" --framework net10.0
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
XML
quiet dotnet add "$app" package NnGen --version "$version"
sed -i 's#</PropertyGroup>#  <PublishAot>true</PublishAot>\n    <InvariantGlobalization>true</InvariantGlobalization>\n  </PropertyGroup>#' "$app/AotApp.csproj"
cp "$repo/eng/TimingApp.cs" "$app/Program.cs"
cp "$repo/samples/FashionMnist/Models.cs" "$app/Models.cs"
quiet dotnet build "$app" -c Release -o "$work/jit"
declare -A extra=([default]="" [native]="-p:IlcInstructionSet=native" [v2]="-p:IlcInstructionSet=x86-64-v2")
variants="default native v2" timing=
if [ "${QUICK:-}" = 1 ]; then variants=default timing=--no-timing; fi
for v in $variants; do
  # shellcheck disable=SC2086
  quiet dotnet publish "$app" -c Release -r linux-x64 -o "$work/aot-$v" ${extra[$v]}
done
# shellcheck disable=SC2086
run() { echo "== $1"; "${@:2}" --outputs "$work/outputs-$1.txt" $timing | tee "$work/run-$1.txt"; }
run jit dotnet "$work/jit/AotApp.dll"
for v in $variants; do run "aot-$v" "$work/aot-$v/AotApp"; done
grep -q "simd portable_scalar" "$work/run-aot-default.txt" && fail "the default AOT publish runs the portable scalar path"
if [ -f "$work/run-aot-v2.txt" ]; then grep -q "simd portable_scalar" "$work/run-aot-v2.txt" || fail "IlcInstructionSet=x86-64-v2, the app's own choice, was not honoured"; fi
python3 - "$work" $variants <<'PY'
import sys
work, variants = sys.argv[1], [f"aot-{v}" for v in sys.argv[2:]]
def read(name): return [[float(v) for v in line.split()] for line in open(f"{work}/outputs-{name}.txt")]
jit = read("jit")
for name in variants:
    worst = max(abs(a - b) for ja, aa in zip(jit, read(name)) for a, b in zip(ja, aa))
    print(f"{name}: largest difference from the JIT's predictions {worst:.2e}")
    if worst > 1e-5: sys.exit(f"aot-check: FAILED: {name} differs from the JIT by {worst}")
def figures(name): return dict(line.split() for line in open(f"{work}/run-{name}.txt"))
jitf = figures("jit")
if len(jitf) == 1: sys.exit(0)
for name in variants:
    f = figures(name)
    print(f"{name} ({f['simd']}): " + ", ".join(f"{k} {float(f[k]) / float(jitf[k]):.2f}x JIT" for k in jitf if k != 'simd'))
PY
