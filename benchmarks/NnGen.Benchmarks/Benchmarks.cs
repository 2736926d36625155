using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using FashionMnistSample;

namespace NnGen.Benchmarks;

/// <summary>Two jobs side by side: every core (the default) and one thread (NNGEN_THREADS=1).</summary>
public sealed class ThreadsConfig : ManualConfig
{
    public ThreadsConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("all cores"));
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("1 thread")
            .WithEnvironmentVariables(new EnvironmentVariable("NNGEN_THREADS", "1")));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}

/// <summary>
/// One training step (forward, loss, backward, Adam) of the network <c>create</c> makes, on distinct batches cycling
/// over 48,000 samples (<see cref="Workloads.Epoch"/>); the epoch time is this times 48,000 / batch.
/// </summary>
[Config(typeof(ThreadsConfig))]
public abstract class TrainStepBenchmark(Func<INetwork> create)
{
    private Workloads.Epoch _data = null!;
    private int _step;

    public abstract int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new Workloads.Epoch(create, BatchSize);
        for (int i = 0; i < 50; i++) _data.Step(i);
    }

    [Benchmark]
    public void Step() => _data.Step(_step++);
}

/// <summary>A whole epoch through Fit: <c>samples</c> samples shuffled, batched, trained, as the sample does (no validation).</summary>
[Config(typeof(ThreadsConfig))]
public abstract class EpochBenchmark(Func<INetwork> create, int samples = 48_000)
{
    private INetwork _net = null!;
    private float[] _x = null!, _y = null!;

    public abstract int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = create();
        (_x, _y) = Workloads.Batch(samples);
    }

    [Benchmark]
    public History Fit() => _net.Fit(_x, _y, epochs: 1, batchSize: BatchSize, verbose: 0);
}

/// <summary>Inference: one sample at a time (span in, span out) and 1,000 samples in one call.</summary>
[Config(typeof(ThreadsConfig))]
public abstract class PredictBenchmark(Func<INetwork> create)
{
    private INetwork _net = null!;
    private float[] _one = null!, _batch = null!, _out1 = new float[10], _out = new float[10_000];

    [GlobalSetup]
    public void Setup()
    {
        _net = create();
        _batch = Workloads.Batch(1000).X;
        _one = _batch.AsSpan(0, 784).ToArray();
        _net.Predict(_batch, _out);
    }

    [Benchmark]
    public void Single() => _net.Predict(_one, _out1);

    [Benchmark(OperationsPerInvoke = 1000)]
    public void Batch1000() => _net.Predict(_batch, _out);
}

/// <summary>The tutorial's MLP (784-256-128-10): one training step.</summary>
public class TrainStep() : TrainStepBenchmark(() => new MnistMlp(1)) { [Params(32, 256)] public override int BatchSize { get; set; } }

/// <summary>The tutorial's MLP: a whole epoch of 48,000 samples.</summary>
public class Epoch() : EpochBenchmark(() => new MnistMlp(1)) { [Params(32, 256)] public override int BatchSize { get; set; } }

/// <summary>The tutorial's MLP: inference.</summary>
public class Predict() : PredictBenchmark(() => new MnistMlp(1));

/// <summary>Keras's simple MNIST convnet (<see cref="SimpleConvNet"/>): one training step.</summary>
public class ConvTrainStep() : TrainStepBenchmark(() => new SimpleConvNet(1)) { [Params(32, 128)] public override int BatchSize { get; set; } }

/// <summary>
/// Keras's simple MNIST convnet: a whole Fit epoch at batch 128 over 12,000 samples, not 48,000 (a quarter of the
/// tutorial's epoch, to keep BenchmarkDotNet's repetitions short; the full epoch takes about four times this).
/// </summary>
public class ConvEpoch() : EpochBenchmark(() => new SimpleConvNet(1), samples: 12_000) { [Params(128)] public override int BatchSize { get; set; } }

/// <summary>Keras's simple MNIST convnet: inference.</summary>
public class ConvPredict() : PredictBenchmark(() => new SimpleConvNet(1));
