using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Runtime.ExceptionServices;
using NnGen.Optimizers;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Generator;

/// <summary>
/// One network instance used from two threads at once: the second call throws instead of computing on buffers the
/// first is using; calls on one thread, nested or after a failed call, go through as before.
/// </summary>
public class ConcurrentUseTests
{
    private static string InUse(string entryPoint) =>
        $"MnistMlp is already in use on another thread ({entryPoint} was called meanwhile): a network instance owns its buffers; " +
        "use one instance per thread, or lock around the calls.";

    private static float[] Inputs(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * MnistMlp.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
    }

    private static float[] OneHot(int rows) =>
        Enumerable.Range(0, rows * 10).Select(i => i % 10 == i / 10 % 10 ? 1f : 0f).ToArray();

    /// <summary>An optimizer whose Reset (called inside InitializeWeights) runs <see cref="OnReset"/>.</summary>
    private sealed class ResetHook(IOptimizer inner) : IOptimizer
    {
        public Action? OnReset { get; set; }
        public float LearningRate { get => inner.LearningRate; set => inner.LearningRate = value; }
        public long Iterations => inner.Iterations;
        public void Update(Span<float> parameters, ReadOnlySpan<float> gradients) => inner.Update(parameters, gradients);
        public void Reset()
        {
            inner.Reset();
            OnReset?.Invoke();
        }
    }

    private static ResetHook Hook(MnistMlp net)
    {
        var hook = new ResetHook(((INetwork)net).Optimizer);
        ((INetwork)net).Optimizer = hook;
        return hook;
    }

    [Fact]
    public void EveryEntryPointThrowsWhileAnotherThreadIsInsideOneAndTouchesNothing()
    {
        var net = new MnistMlp(1);
        float[] x = Inputs(2, 3), y = OneHot(2);
        ResetHook hook = Hook(net);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        hook.OnReset = () => { inside.Set(); release.Wait(); };
        var holder = new Thread(() => net.InitializeWeights(2));
        holder.Start();
        Assert.True(inside.Wait(TimeSpan.FromMinutes(1)), "InitializeWeights did not reach the optimizer's Reset.");
        float[] gradientsBefore = ((INetwork)net).Gradients.ToArray();
        float[] output = new float[20];
        try
        {
            Assert.Equal(InUse("Predict"), Assert.Throws<InvalidOperationException>(() => net.Predict(x, output)).Message);
            Assert.Equal(InUse("ComputeGradients"), Assert.Throws<InvalidOperationException>(() => net.ComputeGradients(x, y, out _)).Message);
            Assert.Equal(InUse("ComputeLoss"), Assert.Throws<InvalidOperationException>(() => net.ComputeLoss(x, y, out _)).Message);
            Assert.Equal(InUse("InitializeWeights"), Assert.Throws<InvalidOperationException>(() => net.InitializeWeights(3)).Message);
        }
        finally
        {
            release.Set();
            holder.Join();
        }

        Assert.All(output, o => Assert.Equal(0f, o));
        Assert.Equal(gradientsBefore, ((INetwork)net).Gradients.ToArray());
        Assert.Equal(new MnistMlp(2).Parameters.ToArray(), net.Parameters.ToArray()); // the holder's call, undisturbed
        hook.OnReset = null;
        float[] expected = new float[20];
        new MnistMlp(2).Predict(x, expected);
        net.Predict(x, output); // free again once the holder has left
        Assert.Equal(expected, output);
    }

    [Fact]
    public void ANestedCallOnTheSameThreadGoesThroughAndTheOuterCallKeepsTheInstance()
    {
        var net = new MnistMlp(1);
        float[] x = Inputs(1, 4), nested = new float[10];
        ResetHook hook = Hook(net);
        Exception? fromOtherThread = null;
        hook.OnReset = () =>
        {
            net.Predict(x, nested); // same thread, inside InitializeWeights
            fromOtherThread = Record.Exception(() => OnOtherThreads(() => net.Predict(x, new float[10])));
        };
        net.InitializeWeights(5);

        float[] expected = new float[10];
        new MnistMlp(5).Predict(x, expected);
        Assert.Equal(expected, nested);
        // After the nested call the instance still belongs to the outer call's thread.
        Assert.Equal(InUse("Predict"), Assert.IsType<InvalidOperationException>(fromOtherThread).Message);
        // And is free once the outer call returns.
        float[] later = new float[10];
        OnOtherThreads(() => net.Predict(x, later));
        Assert.Equal(expected, later);
    }

    [Fact]
    public void ACallThatThrowsReleasesTheInstance()
    {
        var net = new MnistMlp(1);
        float[] x = Inputs(1, 6), y = OneHot(1);
        Assert.Throws<ArgumentException>(() => net.Predict(x.AsSpan(1), new float[10]));
        Assert.Throws<ArgumentException>(() => net.ComputeGradients(x, y.AsSpan(1), out _));
        Assert.Throws<ArgumentException>(() => net.ComputeLoss(x, y.AsSpan(1), out _));
        ((INetwork)net).Optimizer = new ThrowingReset();
        Assert.Throws<NotSupportedException>(() => net.InitializeWeights(1));

        // Each entry point, from another thread: none finds the instance still taken.
        OnOtherThreads(() =>
        {
            net.Predict(x, new float[10]);
            net.ComputeGradients(x, y, out _);
            net.ComputeLoss(x, y, out _);
            ((INetwork)net).Optimizer = new Sgd();
            net.InitializeWeights(1);
        });
    }

    private sealed class ThrowingReset : IOptimizer
    {
        public float LearningRate { get; set; }
        public long Iterations => 0;
        public void Update(Span<float> parameters, ReadOnlySpan<float> gradients) { }
        public void Reset() => throw new NotSupportedException();
    }

    /// <summary>
    /// Two threads call one instance as fast as they can: every call returns exactly what it returns on one thread,
    /// or throws the in-use exception; never a wrong number (without the guard, hundreds of calls in thousands were wrong).
    /// </summary>
    [Fact]
    public void TwoThreadsHammeringOneInstanceGetRightAnswersOrTheInUseException()
    {
        var net = new MnistMlp(1);
        const int samples = 4;
        float[][] inputs = Enumerable.Range(0, samples).Select(i => Inputs(1, 10 + i)).ToArray();
        float[] targets = OneHot(1);
        float[][] outputs = inputs.Select(x => { float[] o = new float[10]; net.Predict(x, o); return o; }).ToArray();
        float[] losses = inputs.Select(x => net.ComputeLoss(x, targets, out _)).ToArray();
        float[] trainingLosses = inputs.Select(x => net.ComputeGradients(x, targets, out _)).ToArray();

        const int maxCalls = 20_000;
        int refused = 0, done = 0;
        var wrong = new List<string>();
        using var start = new Barrier(2);
        void Hammer(int thread)
        {
            start.SignalAndWait();
            float[] output = new float[10];
            for (int i = 0; i < maxCalls && (Volatile.Read(ref refused) < 200 || i < 500); i++)
            {
                int s = (i + thread) % samples;
                try
                {
                    string? error = (thread, i % 2) switch
                    {
                        (0, _) => Check(() => { net.Predict(inputs[s], output); return output; }, outputs[s]),
                        (_, 0) => Check(() => [net.ComputeLoss(inputs[s], targets, out _)], [losses[s]]),
                        _ => Check(() => [net.ComputeGradients(inputs[s], targets, out _)], [trainingLosses[s]]),
                    };
                    if (error is not null) lock (wrong) wrong.Add($"thread {thread}, call {i}: {error}");
                }
                catch (InvalidOperationException e) when (e.Message.StartsWith("MnistMlp is already in use on another thread", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref refused);
                }
                Interlocked.Increment(ref done);
            }
        }
        OnOtherThreads(() => Hammer(0), () => Hammer(1)); // rethrows any other exception

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {done} calls returned a wrong result:\n" + string.Join("\n", wrong.Take(10)));
        Assert.True(refused > 0, $"The two threads never overlapped in {done} calls: the test exercised nothing.");
    }

    /// <summary>A callback that, at the end of the first batch, signals <see cref="Inside"/> and waits for <see cref="Release"/>.</summary>
    private sealed class Pause : Callbacks.Callback, IDisposable
    {
        public ManualResetEventSlim Inside { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public override void OnBatchEnd(Callbacks.TrainingContext context, int batch, float loss, float accuracy)
        {
            if (batch != 1) return;
            Inside.Set();
            Release.Wait();
        }
        public void Dispose() { Inside.Dispose(); Release.Dispose(); }
    }

    /// <summary>
    /// Fit holds the instance from its first batch to its last, optimizer steps included: another thread's Predict,
    /// Evaluate, Save, Load or Fit meanwhile throws rather than read weights between two updates.
    /// </summary>
    [Fact]
    public void OperationsOfManyCallsHoldTheInstanceThroughout()
    {
        var net = new MnistMlp(1);
        float[] x = Inputs(8, 7), y = OneHot(8);
        using var pause = new Pause();
        var trainer = new Thread(() => net.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0, callbacks: [pause]));
        trainer.Start();
        Assert.True(pause.Inside.Wait(TimeSpan.FromMinutes(1)), "Fit did not reach the end of its first batch.");
        string path = Path.Combine(Path.GetTempPath(), $"nngen-inuse-{Guid.NewGuid():N}.nngw");
        try
        {
            float[] weightsInside = net.Parameters.ToArray(); // read on this thread, without the guard: only for comparison
            Assert.Equal(InUse("Predict"), Assert.Throws<InvalidOperationException>(() => net.Predict(x, new float[80])).Message);
            Assert.Equal(InUse("Evaluate"), Assert.Throws<InvalidOperationException>(() => net.Evaluate(x, y)).Message);
            Assert.Equal(InUse("Save"), Assert.Throws<InvalidOperationException>(() => net.Save(path)).Message);
            Assert.False(File.Exists(path));
            new MnistMlp(9).Save(path);
            Assert.Equal(InUse("Load"), Assert.Throws<InvalidOperationException>(() => net.Load(path)).Message);
            Assert.Equal(InUse("Fit"), Assert.Throws<InvalidOperationException>(() => net.Fit(x, y, verbose: 0)).Message);
            Assert.Equal(weightsInside, net.Parameters.ToArray());
        }
        finally
        {
            pause.Release.Set();
            trainer.Join();
            File.Delete(path);
        }
        // Released when Fit returns: the same calls now go through, from another thread.
        OnOtherThreads(() =>
        {
            net.Evaluate(x, y);
            net.Save(path);
            net.Load(path);
        });
        File.Delete(path);
    }

    /// <summary>Runs each action on a thread of its own, waits for all, and rethrows the first exception.</summary>
    private static void OnOtherThreads(params Action[] actions)
    {
        var failures = new Exception?[actions.Length];
        Thread[] threads = actions.Select((a, i) => new Thread(() =>
        {
            try { a(); }
            catch (Exception e) { failures[i] = e; }
        })).ToArray();
        foreach (Thread t in threads) t.Start();
        foreach (Thread t in threads) t.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private static string? Check(Func<float[]> call, float[] expected)
    {
        float[] actual = call();
        return actual.SequenceEqual(expected) ? null : $"expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]";
    }
}
