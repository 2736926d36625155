using System.Diagnostics;
using System.Globalization;
using NnGen;
using FashionMnistSample;

// The app eng/debug-release.sh and eng/aot-check.sh build outside the repository against the packed NnGen, with the
// sample's declarations (samples/FashionMnist/Models.cs) beside it.
// Arguments: [--outputs FILE] [--no-timing]. Prints the kernel path, then per network the median single Predict
// and batch-32 training step; with --outputs, first writes the predictions after three training steps to FILE.
Console.WriteLine($"simd {NnGen.Kernels.Simd.Description.Replace(' ', '_')}");
int at = Array.IndexOf(args, "--outputs");
using var outputs = at >= 0 ? new StreamWriter(args[at + 1]) : null;
bool timing = !args.Contains("--no-timing");
Measure("mlp", new MnistMlp(1), outputs, timing);
Measure("cnn", new SimpleConvNet(1), outputs, timing);

static void Measure(string name, INetwork net, StreamWriter? outputs, bool timing)
{
    var random = new Random(1);
    float[] x = new float[32 * net.InputSize], y = new float[32 * net.OutputSize], output = new float[32 * net.OutputSize];
    for (int i = 0; i < x.Length; i++) x[i] = random.NextSingle();
    for (int r = 0; r < 32; r++) y[r * net.OutputSize + r % net.OutputSize] = 1;
    void Step() { net.ComputeGradients(x, y, out _); net.Optimizer.Update(net.Parameters, net.Gradients); }
    // The predictions after three steps from the seeded initial weights, for the comparison between builds.
    if (outputs is not null)
    {
        for (int i = 0; i < 3; i++) Step();
        net.Predict(x, output);
        outputs.WriteLine(string.Join(' ', output.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }
    if (!timing) return;
    void Predict() => net.Predict(x.AsSpan(0, net.InputSize), output.AsSpan(0, net.OutputSize));
    Warm(Predict); Warm(Step);
    double[] predict = new double[21], step = new double[21];
    for (int b = 0; b < predict.Length; b++) { predict[b] = PerCall(200, Predict); step[b] = PerCall(10, Step); }
    Console.WriteLine($"{name}_predict_us {Median(predict):F2}");
    Console.WriteLine($"{name}_train_step_us {Median(step):F1}");
}
static void Warm(Action call) { var sw = Stopwatch.StartNew(); while (sw.ElapsedMilliseconds < 1000) call(); }
static double PerCall(int calls, Action call)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < calls; i++) call();
    return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
}
static double Median(double[] v) { Array.Sort(v); return v[v.Length / 2]; }
