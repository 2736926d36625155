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

/// <summary>One training step (forward, loss, backward, Adam) of the seed model; the epoch time is this times 48,000 / batch.</summary>
[Config(typeof(ThreadsConfig))]
public class TrainStep
{
    private INetwork _net = null!;
    private Workloads.Epoch _data = null!;
    private int _step;

    [Params(32, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = new MnistMlp(1);
        _data = new Workloads.Epoch(BatchSize);
        for (int i = 0; i < 50; i++) _data.Step(_net, i);
    }

    [Benchmark]
    public void Step() => _data.Step(_net, _step++);
}

/// <summary>A whole epoch through Fit: 48,000 samples shuffled, batched, trained, as the sample does (no validation).</summary>
[Config(typeof(ThreadsConfig))]
public class Epoch
{
    private INetwork _net = null!;
    private float[] _x = null!, _y = null!;

    [Params(32, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = new MnistMlp(1);
        (_x, _y) = Workloads.Batch(48_000);
    }

    [Benchmark]
    public History Fit() => _net.Fit(_x, _y, epochs: 1, batchSize: BatchSize, verbose: 0);
}

/// <summary>Inference: one sample at a time (span in, span out) and 1,000 samples in one call.</summary>
[Config(typeof(ThreadsConfig))]
public class Predict
{
    private MnistMlp _net = null!;
    private float[] _one = null!, _batch = null!, _out1 = new float[10], _out = new float[10_000];

    [GlobalSetup]
    public void Setup()
    {
        _net = new MnistMlp(1);
        _batch = Workloads.Batch(1000).X;
        _one = _batch.AsSpan(0, 784).ToArray();
        _net.Predict(_batch, _out);
    }

    [Benchmark]
    public void Single() => _net.Predict(_one, _out1);

    [Benchmark(OperationsPerInvoke = 1000)]
    public void Batch1000() => _net.Predict(_batch, _out);
}
