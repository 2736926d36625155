#!/usr/bin/env bash
# Measures NnGen as a user's app meets it: packs NnGen (Release, as NuGet ships it) into a local folder, creates a
# console app outside the repository that references it, and times the seed MLP and Keras's simple convnet (a
# single Predict and a batch-32 training step, the median of many short timed blocks) with the app built in Debug and
# in Release, alternately ROUNDS times, on one thread (NNGEN_THREADS=1) and on all; then builds an app with 200 Dense(8) layers and reports its generated source
# size and build time. Usage: eng/debug-release.sh [ROUNDS] [work-folder]. Figures in docs/benchmarks.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
work="${2:-$(mktemp -d /tmp/nngen-debug-release.XXXXXX)}"
feed="$work/feed" app="$work/TimingApp" big="$work/BigApp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
version="0.0.0-timing.$(date -u +%Y%m%d%H%M%S)"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
trap 'rm -rf "$cache"/nngen/"$version"' EXIT
mkdir -p "$feed"
dotnet pack "$repo/src/NnGen/NnGen.csproj" -c Release -o "$feed" -p:Version="$version" -v q -nologo > "$work/pack.log" || { cat "$work/pack.log"; exit 1; }

new_app() { # $1 folder
  rm -rf "$1"
  dotnet new console -o "$1" --framework net10.0 > /dev/null
  cat > "$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
XML
  dotnet add "$1" package NnGen --version "$version" > /dev/null
}

new_app "$app"
cp "$repo/eng/TimingApp.cs" "$app/Program.cs"
cp "$repo/samples/FashionMnist/Models.cs" "$app/Models.cs"
for c in Debug Release; do dotnet build "$app" -c "$c" -o "$work/out-$c" -v q -nologo > "$work/build-$c.log" || { cat "$work/build-$c.log"; exit 1; }; done
for i in $(seq "$rounds"); do
  for c in Debug Release; do
    NNGEN_THREADS=1 "$work/out-$c/TimingApp" | grep -v '^simd' | sed "s/^/$c 1thread_/" >> "$work/results"
    "$work/out-$c/TimingApp" | grep -v '^simd' | sed "s/^/$c allthreads_/" >> "$work/results"
  done
done
python3 - "$work/results" <<'PY'
import sys, statistics, collections
m = collections.defaultdict(list)
for line in open(sys.argv[1]):
    config, measure, value = line.split()
    m[(measure, config)].append(float(value))
for measure in sorted({k[0] for k in m}):
    d, r = statistics.median(m[(measure, "Debug")]), statistics.median(m[(measure, "Release")])
    print(f"{measure}: Debug {d:.2f}, Release {r:.2f}, Debug/Release {d / r:.2f}")
PY

new_app "$big"
{ echo 'using NnGen;'; echo '[Sequential(Input = 8, Loss = Loss.MeanSquaredError)]'
  for i in $(seq 200); do echo '[Dense(8, Activation.Tanh)]'; done
  echo 'public partial class Big;'; echo 'public static class Program { public static void Main() => System.Console.WriteLine(new Big().Predict(new float[8]).Length); }'; } > "$big/Program.cs"
dotnet build "$big" -c Release -v q -nologo > /dev/null # restore and a first build, so the timed one measures the compiler
start=$(date +%s.%N)
dotnet build "$big" -c Release -v q -nologo --no-restore -p:EmitCompilerGeneratedFiles=true -p:CompilerGeneratedFilesOutputPath=generated --no-incremental > "$work/big.log" || { cat "$work/big.log"; exit 1; }
end=$(date +%s.%N)
size=$(find "$big/generated" -name 'Big.g.cs' -printf '%s')
echo "200 x Dense(8): generated source $size bytes, Release build $(python3 -c "print(f'{$end - $start:.1f}')") s (a no-incremental build after restore)"
echo "debug-release: done ($work)"
