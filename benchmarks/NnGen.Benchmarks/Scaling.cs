using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FashionMnistSample;
using NnGen.Kernels;
using NnGen.Optimizers;
using static NnGen.Activation;

namespace NnGen.Benchmarks;

/// <summary>
/// `scaling [dir]`: how cost grows. Square two-layer Dense networks of widths 64 to 2048 at batch sizes 1 to 1024
/// (training step and Predict, GFLOP/s and fraction of the FMA peak), the tutorial's models on 1..N threads, and the
/// peak memory of a training run beside the parameter count. Every thread count and every memory figure is measured in
/// a child process of its own (the thread count is fixed per process; a peak working set is too). Writes scaling.json
/// and scaling.png (ScottPlot) into <c>dir</c> (default: the current directory) and prints markdown tables.
/// </summary>
internal static class Scaling
{
    private static readonly int[] Batches = [1, 4, 16, 64, 256, 1024];

    /// <summary>The square networks, widest last: <c>Input = w, Dense(w, relu), Dense(w)</c>, mean squared error.</summary>
    private static readonly (int Width, Func<INetwork> Create)[] Square =
    [
        (64, () => new Square64(1)), (128, () => new Square128(1)), (256, () => new Square256(1)),
        (512, () => new Square512(1)), (1024, () => new Square1024(1)), (2048, () => new Square2048(1)),
    ];

    private static readonly (string Name, Func<INetwork> Create)[] Models =
    [
        ("MnistMlp", () => new MnistMlp(1)), ("OptimizedMlp", () => new OptimizedMlp(1)),
        ("SimpleConvNet", () => new SimpleConvNet(1)), ("NormalizedConvNet", () => new NormalizedConvNet(1)),
        ("Square1024", () => new Square1024(1)), ("Square2048", () => new Square2048(1)),
    ];

    public static void Run(string[] args)
    {
        if (args is ["scaling-child"]) { Console.WriteLine(JsonSerializer.Serialize(Measure())); return; }
        if (args is ["scaling-memory", string model]) { Console.WriteLine(JsonSerializer.Serialize(Memory(model))); return; }
        string dir = args.Length > 1 ? args[1] : ".";
        Directory.CreateDirectory(dir);
        var peak = Peak.Measure();
        var runs = new List<Child>();
        for (int threads = 1; threads <= Math.Min(Environment.ProcessorCount, Workers.MaxThreads); threads++)
        {
            Console.Error.WriteLine($"measuring on {threads} thread(s)...");
            runs.Add(JsonSerializer.Deserialize<Child>(RunSelf(["scaling-child"], threads))!);
        }
        var memory = Models.Select(m => JsonSerializer.Deserialize<MemoryFigure>(RunSelf(["scaling-memory", m.Name], null))!).ToList();
        var report = new Report(peak.One, peak.All, Environment.ProcessorCount, Simd.Description, runs, memory);
        File.WriteAllText(Path.Combine(dir, "scaling.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        Plot(report, Path.Combine(dir, "scaling.png"));
        Print(report);
    }

    public sealed record Shape(int Width, int Batch, double TrainUs, double PredictUs);
    public sealed record ModelTime(string Name, string Workload, double Us);
    public sealed record Child(int Threads, List<Shape> Shapes, List<ModelTime> Models, long Stalls);
    public sealed record MemoryFigure(string Name, long Parameters, long ParameterBytes, long DataBytes, long WorkingSetBeforeBytes, long PeakWorkingSetBytes, long AllocatedByFitBytes);
    public sealed record Report(double PeakOne, double PeakAll, int Cores, string Kernels, List<Child> Runs, List<MemoryFigure> Memory);

    /// <summary>Training step: 2·B·w² FLOPs per layer forward, twice that backward but for the first layer's input gradient (no one needs it).</summary>
    public static double TrainFlops(int width, int batch) => 10.0 * batch * width * width;

    public static double PredictFlops(int width, int batch) => 4.0 * batch * width * width;

    /// <summary>Rounds of every measurement; each figure is the fastest round's (noise on a shared machine only adds time).</summary>
    private const int Rounds = 3;

    private static Child Measure()
    {
        var nets = Square.Select(s =>
        {
            INetwork net = s.Create();
            net.Optimizer = new Adam(learningRate: 0); // the full cost of Adam, but the weights never move: no drift into denormals
            return (s.Width, net);
        }).ToList();
        var best = new Dictionary<(int, int), (double Train, double Predict)>();
        for (int round = 0; round < Rounds; round++)
            foreach (var (width, net) in nets)
                foreach (int batch in Batches)
                {
                    var rng = new Rng(width + batch);
                    float[] x = Random(rng, batch * width), y = Random(rng, batch * width), o = new float[batch * width];
                    double warmUp = round == 0 ? 0.2 : 0.02;
                    double train = Time(() => { net.ComputeGradients(x, y, out _); net.Optimizer.Update(net.Parameters, net.Gradients); }, warmUp);
                    double predict = Time(() => net.Predict(x, o), warmUp);
                    best[(width, batch)] = best.TryGetValue((width, batch), out var b) ? (Math.Min(b.Train, train), Math.Min(b.Predict, predict)) : (train, predict);
                }
        var shapes = best.Select(kv => new Shape(kv.Key.Item1, kv.Key.Item2, kv.Value.Train * 1e6, kv.Value.Predict * 1e6)).ToList();
        var workloads = new List<(string Name, string Workload, Action Call)>();
        foreach (var (name, create, batch) in new (string, Func<INetwork>, int)[]
                 { ("MnistMlp", () => new MnistMlp(1), 32), ("MnistMlp", () => new MnistMlp(1), 256), ("SimpleConvNet", () => new SimpleConvNet(1), 32) })
        {
            var data = new Workloads.Epoch(create, batch);
            int step = 0;
            workloads.Add((name, $"train step, batch {batch}", () => data.Step(step++)));
        }
        {
            // Fit's own cost (shuffle, gather, callbacks, checks): a whole epoch through Fit against its steps alone.
            var data = new Workloads.Epoch(() => new MnistMlp(1), 32);
            var (x, y) = Workloads.Batch(48_000);
            workloads.Add(("MnistMlp", "Fit epoch, batch 32, 48,000 samples", () => data.Net.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0)));
            workloads.Add(("MnistMlp", "the same 1,500 steps without Fit", () => { for (int i = 0; i < data.Steps; i++) data.Step(i); }));
        }
        foreach (var (name, net) in new (string, INetwork)[] { ("MnistMlp", new MnistMlp(1)), ("SimpleConvNet", new SimpleConvNet(1)) })
            foreach (int batch in new[] { 1, 1000 })
            {
                float[] x = Workloads.Batch(batch).X, o = new float[batch * 10];
                workloads.Add((name, $"Predict, batch {batch}", () => net.Predict(x, o)));
            }
        var fastest = new double[workloads.Count];
        Array.Fill(fastest, double.PositiveInfinity);
        for (int round = 0; round < Rounds; round++)
            for (int i = 0; i < workloads.Count; i++)
                fastest[i] = Math.Min(fastest[i], Time(workloads[i].Call, round == 0 ? 0.2 : 0.02));
        var models = workloads.Select((w, i) => new ModelTime(w.Name, w.Workload, fastest[i] * 1e6)).ToList();
        return new Child(Workers.Count, shapes, models, Workers.Stalls);
    }

    private static float[] Random(Rng rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextFloat() * 2 - 1;
        return a;
    }

    /// <summary>
    /// Seconds per call: warmed up for <paramref name="warmUp"/> seconds (past tiered compilation the first time), then 9
    /// blocks of enough calls for 3 ms each (at least one call), the median block.
    /// </summary>
    private static double Time(Action call, double warmUp = 0.2)
    {
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalSeconds < warmUp || calls < 3) { call(); calls++; }
        int perBlock = Math.Max(1, (int)(0.003 * calls / sw.Elapsed.TotalSeconds));
        var blocks = new double[9];
        for (int b = 0; b < blocks.Length; b++) blocks[b] = Timing.PerCallUs(perBlock, call) / 1e6;
        return Timing.Median(blocks);
    }

    /// <summary>One epoch of Fit (batch 32) on 6,000 synthetic samples in a fresh process: its peak working set against the parameters.</summary>
    private static MemoryFigure Memory(string name)
    {
        INetwork net = Models.Single(m => m.Name == name).Create();
        const int samples = 6_000;
        var rng = new Rng(5);
        float[] x = new float[samples * net.InputSize], y = new float[samples * net.TargetSize];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat();
        for (int s = 0; s < samples; s++)
            if (net.Loss == Loss.CategoricalCrossEntropy) y[s * net.TargetSize + rng.NextInt(net.TargetSize)] = 1;
            else for (int t = 0; t < net.TargetSize; t++) y[s * net.TargetSize + t] = rng.NextFloat();
        using var self = Process.GetCurrentProcess();
        long before = self.WorkingSet64;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        net.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        self.Refresh();
        long parameters = net.Parameters.Length + net.NonTrainableParameters.Length;
        return new MemoryFigure(name, parameters, parameters * sizeof(float), (x.Length + y.Length) * (long)sizeof(float), before, self.PeakWorkingSet64, allocated);
    }

    internal static string RunSelf(string[] args, int? threads)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        if (threads is int t) start.Environment["NNGEN_THREADS"] = t.ToString(CultureInfo.InvariantCulture);
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} on {threads} thread(s) exited with {child.ExitCode}: {output}");
        return output;
    }

    private static double PeakFor(Report r, int threads) => threads == 1 ? r.PeakOne : r.PeakAll * Math.Min(threads, r.Cores) / r.Cores;

    private static void Print(Report r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"Kernels: {r.Kernels}; FMA peak {r.PeakOne:F0} GFLOP/s on one thread, {r.PeakAll:F0} on {r.Cores} cores\n"));
        foreach (var (what, flops, pick) in new (string, Func<int, int, double>, Func<Shape, double>)[]
                 { ("training step", TrainFlops, s => s.TrainUs), ("Predict", PredictFlops, s => s.PredictUs) })
        {
            Console.WriteLine($"{what}, % of peak (GFLOP/s), square Dense networks w -> w -> w:\n");
            Console.WriteLine("| width | threads | " + string.Join(" | ", Batches.Select(b => $"batch {b}")) + " |");
            Console.WriteLine("|---|---|" + string.Concat(Batches.Select(_ => "---|")));
            foreach (int width in Square.Select(s => s.Width))
                foreach (var run in r.Runs)
                    Console.WriteLine(string.Create(inv, $"| {width} | {run.Threads} | ") + string.Join(" | ", Batches.Select(b =>
                    {
                        var s = run.Shapes.Single(s => s.Width == width && s.Batch == b);
                        double gflops = flops(width, b) / pick(s) / 1e3;
                        return string.Create(inv, $"{100 * gflops / PeakFor(r, run.Threads):F0}% ({gflops:F0})");
                    })) + " |");
            Console.WriteLine();
        }
        Console.WriteLine("Thread scaling, the tutorial's models:\n");
        Console.WriteLine("| model | workload | " + string.Join(" | ", r.Runs.Select(x => $"{x.Threads} thread(s)")) + " | speed-up on " + r.Runs[^1].Threads + " |");
        Console.WriteLine("|---|---|" + string.Concat(r.Runs.Select(_ => "---|")) + "---|");
        foreach (var m in r.Runs[0].Models)
        {
            var times = r.Runs.Select(x => x.Models.Single(y => y.Name == m.Name && y.Workload == m.Workload).Us).ToList();
            Console.WriteLine($"| {m.Name} | {m.Workload} | " + string.Join(" | ", times.Select(Us)) + string.Create(inv, $" | {times[0] / times[^1]:F2}x |"));
        }
        Console.WriteLine("\nStalls (joins that waited over 500 us for a descheduled worker, docs/ARCHITECTURE.md#workers) in each run: " +
            string.Join(", ", r.Runs.Select(x => $"{x.Stalls} on {x.Threads} thread(s)")));
        Console.WriteLine("\nPeak memory of one Fit epoch (batch 32, 6,000 samples), beside the parameters:\n");
        Console.WriteLine("| model | parameters | parameter bytes | training data | working set before Fit | peak working set | peak - before | allocated by Fit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var m in r.Memory)
            Console.WriteLine(string.Create(inv, $"| {m.Name} | {m.Parameters:N0} | {Mb(m.ParameterBytes)} | {Mb(m.DataBytes)} | {Mb(m.WorkingSetBeforeBytes)} | {Mb(m.PeakWorkingSetBytes)} | {Mb(m.PeakWorkingSetBytes - m.WorkingSetBeforeBytes)} | {Mb(m.AllocatedByFitBytes)} |"));
    }

    private static string Us(double us) =>
        us >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{us / 1000:F2} ms") : string.Create(CultureInfo.InvariantCulture, $"{us:F1} us");

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB");

    /// <summary>Training step % of peak against batch size, a line per width, solid for one thread and dashed for all.</summary>
    private static void Plot(Report r, string path)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (int width in Square.Select(s => s.Width))
        {
            var color = palette.GetColor(i++);
            foreach (var run in new[] { r.Runs[0], r.Runs[^1] }.Distinct())
            {
                double[] xs = Batches.Select(b => Math.Log2(b)).ToArray();
                double[] ys = Batches.Select(b => 100 * TrainFlops(width, b) / run.Shapes.Single(s => s.Width == width && s.Batch == b).TrainUs / 1e3 / PeakFor(r, run.Threads)).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.Color = color;
                line.LineWidth = 2;
                line.MarkerSize = 6;
                line.LinePattern = run.Threads == 1 ? ScottPlot.LinePattern.Solid : ScottPlot.LinePattern.Dashed;
                line.LegendText = $"width {width}, {run.Threads} thread{(run.Threads == 1 ? "" : "s")}";
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Batches.Select(b => Math.Log2(b)).ToArray(), Batches.Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsY(0, 100);
        plot.Title("Training step of a w -> w -> w Dense network: % of the measured FMA peak");
        plot.XLabel("batch size");
        plot.YLabel("% of peak (1 thread: one core's; all threads: all cores')");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 1000, 640);
    }
}

[Sequential(Input = 64, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(64, Relu)]
[Dense(64)]
public partial class Square64;

[Sequential(Input = 128, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(128, Relu)]
[Dense(128)]
public partial class Square128;

[Sequential(Input = 256, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(256, Relu)]
[Dense(256)]
public partial class Square256;

[Sequential(Input = 512, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(512, Relu)]
[Dense(512)]
public partial class Square512;

[Sequential(Input = 1024, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(1024, Relu)]
[Dense(1024)]
public partial class Square1024;

[Sequential(Input = 2048, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Dense(2048, Relu)]
[Dense(2048)]
public partial class Square2048;
