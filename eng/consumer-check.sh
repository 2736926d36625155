#!/usr/bin/env bash
# Consumes NnGen as a new user would: packs NnGen, NnGen.Plots, NnGen.Terminal and NnGen.Onnx into a local folder, creates a
# fresh `dotnet new console` app outside the repository that references them through a nuget.config (that folder plus
# nuget.org), declares README's seed network, and builds and runs it in Debug (NnGen reached only through NnGen.Plots,
# NnGen.Terminal and NnGen.Onnx) and in Release (NnGen referenced directly too): Summary, a short Fit on synthetic data,
# Evaluate, Predict, Save/Load, a PNG from NnGen.Plots, NnGen.Terminal's progress choice, and an ONNX export loaded back.
# Fails on any warning or error of the pack, the build or the run. Usage: eng/consumer-check.sh [work-folder]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/nngen-consumer.XXXXXX)}"
feed="$work/feed" app="$work/ConsumerApp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
case "$work" in "$repo"/*) echo "consumer-check: the work folder must be outside the repository ($repo)" >&2; exit 2;; esac

fail() { echo "consumer-check: FAILED: $*" >&2; exit 1; }
# Runs a command, shows its output, and fails when it fails or prints a warning (or NuGet's missing-readme note).
run() {
  local log="$work/last.log"
  if ! "$@" >"$log" 2>&1; then cat "$log"; fail "$*"; fi
  cat "$log"
  if grep -Ei 'warning|missing a readme' "$log" | grep -Evq '^ *0 Warning\(s\)$'; then fail "$* printed a warning"; fi
}

# A version of its own, so that NuGet's global cache can never hand back an older pack of the same number.
version="0.0.0-consumer.$(date -u +%Y%m%d%H%M%S)"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
trap 'rm -rf "$cache"/nngen*/"$version"; rmdir "$cache"/nngen* 2>/dev/null || true' EXIT
mkdir -p "$feed"
for project in src/NnGen/NnGen.csproj src/NnGen.Plots/NnGen.Plots.csproj src/NnGen.Terminal/NnGen.Terminal.csproj src/NnGen.Onnx/NnGen.Onnx.csproj; do
  run dotnet pack "$repo/$project" -c Release -o "$feed" -p:Version="$version"
done

# What the NnGen package must carry: the generator and code fixes, the readme, the diagnostics pages.
contents="$(unzip -Z1 "$feed/NnGen.$version.nupkg")"
for entry in analyzers/dotnet/cs/NnGen.Generators.dll analyzers/dotnet/cs/NnGen.CodeFixes.dll README.md docs/diagnostics/README.md; do
  grep -qx "$entry" <<<"$contents" || fail "NnGen.$version.nupkg has no $entry"
done
for page in "$repo"/docs/diagnostics/NNG*.md; do
  grep -qx "docs/diagnostics/$(basename "$page")" <<<"$contents" || fail "NnGen.$version.nupkg has no docs/diagnostics/$(basename "$page")"
done
for package in NnGen.Plots NnGen.Terminal NnGen.Onnx; do
  grep -qx README.md <<<"$(unzip -Z1 "$feed/$package.$version.nupkg")" || fail "$package.$version.nupkg has no README.md"
done

rm -rf "$app"
run dotnet new console -o "$app" --framework net10.0
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
# First NnGen.Plots, NnGen.Terminal and NnGen.Onnx only: NnGen comes with them, and so must its generator and analyzers.
for package in NnGen.Plots NnGen.Terminal NnGen.Onnx; do
  run dotnet add "$app" package "$package" --version "$version"
done

cat >"$app/Models.cs" <<'CS'
using NnGen;
using static NnGen.Activation;

[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
public partial class MnistMlp;
CS
cat >"$app/Program.cs" <<'CS'
using NnGen;
using NnGen.Onnx;
using NnGen.Plots;
using NnGen.Terminal;

// Synthetic data: 640 samples of 784 values in [0, 1); the class is the largest of the first ten values.
const int samples = 640;
var random = new Random(1);
float[] x = new float[samples * MnistMlp.InputSize], y = new float[samples * MnistMlp.OutputSize];
for (int i = 0; i < samples; i++)
{
    for (int j = 0; j < MnistMlp.InputSize; j++) x[i * MnistMlp.InputSize + j] = random.NextSingle();
    int label = 0;
    for (int c = 1; c < MnistMlp.OutputSize; c++) if (x[i * MnistMlp.InputSize + c] > x[i * MnistMlp.InputSize + label]) label = c;
    y[i * MnistMlp.OutputSize + label] = 1;
}

var model = new MnistMlp(seed: 42);
Console.WriteLine(model.Summary());
var (verbose, progress) = SpectreProgress.Select(verbose: 2);
History history = model.Fit(x, y, epochs: 3, batchSize: 32, validationSplit: 0.2, verbose: verbose, callbacks: progress);
if (!(history.Loss[^1] < history.Loss[0])) throw new Exception($"The training loss did not go down: {string.Join(", ", history.Loss)}.");
Console.WriteLine(model.Evaluate(x, y));

float[] predicted = model.Predict(x);
Span<float> one = stackalloc float[MnistMlp.OutputSize];
model.Predict(x.AsSpan(0, MnistMlp.InputSize), one);
// One sample runs other kernels than a batch (single-row tiles), so the sums may round differently, not more.
for (int c = 0; c < MnistMlp.OutputSize; c++)
    if (Math.Abs(one[c] - predicted[c]) > 1e-5f) throw new Exception($"Predict of sample 0 gives {one[c]} for class {c}, Predict of the batch {predicted[c]}.");

string weights = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.nngw");
model.Save(weights);
var loaded = new MnistMlp(seed: 7);
loaded.Load(weights);
File.Delete(weights);
if (!loaded.Predict(x).AsSpan().SequenceEqual(predicted)) throw new Exception("The loaded network predicts differently.");

string onnx = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.onnx");
model.SaveOnnx(onnx);
var imported = new MnistMlp(seed: 9);
imported.LoadOnnx(onnx);
File.Delete(onnx);
if (!imported.Predict(x).AsSpan().SequenceEqual(predicted)) throw new Exception("The network loaded from its ONNX export predicts differently.");

string png = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.png");
Figures.Loss(history).SavePng(png, 400, 250);
if (new FileInfo(png).Length == 0) throw new Exception($"{png} is empty.");
File.Delete(png);
Console.WriteLine("consumer check: all good");
CS

for configuration in Debug Release; do
  # Then, for Release, the direct reference README describes.
  if [ "$configuration" = Release ]; then run dotnet add "$app" package NnGen --version "$version"; fi
  run dotnet build "$app" -c "$configuration"
  run dotnet run --project "$app" -c "$configuration" --no-build
  grep -q "consumer check: all good" "$work/last.log" || fail "the $configuration app did not finish"
done
echo "consumer-check: passed ($version, $work)"
