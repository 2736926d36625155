using System.Linq;
using System;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

public class AllocationTests
{
    public static TheoryData<string> Networks => new(nameof(MnistMlp), nameof(SameConvNet), nameof(StridedConvNet), nameof(HiddenConvNet),
        nameof(StackedRecurrentNet), nameof(EmbeddingGruNet), nameof(WideRecurrentNet), nameof(DeepRecurrentNet));

    /// <summary>Counted on the calling thread, which runs every layer that is not split and part 0 of those that are (process-wide counts would include the tests xunit runs alongside).</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_steps_and_predictions_allocate_nothing_after_warm_up(string name)
    {
        INetwork net = name switch
        {
            nameof(SameConvNet) => new SameConvNet(1),
            nameof(StridedConvNet) => new StridedConvNet(1),
            nameof(HiddenConvNet) => new HiddenConvNet(1),
            nameof(MnistMlp) => new MnistMlp(1),
            _ => RecurrentNetworkTests.Create(name),
        };
        (float[] x, float[] y) = RecurrentNetworkTests.Batch(net, rows: 32, seed: 1);
        float[] one = x.AsSpan(0, net.InputSize).ToArray();
        float[] output = new float[net.OutputSize];

        void Step()
        {
            net.ComputeGradients(x, y, out _);
            net.Optimizer.Update(net.Parameters, net.Gradients);
        }

        // Warm-up: buffers and optimizer state are allocated here, once; and past the JIT's tiering, whose promotions can
        // allocate on the calling thread (by time rather than a count).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 500)
        {
            Step();
            net.Predict(one, output);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Step();
        long afterTraining = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) net.Predict(one, output);
        long afterPredict = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, afterTraining - before);
        Assert.Equal(0, afterPredict - afterTraining);
        Assert.All(output, o => Assert.True(float.IsFinite(o)));
    }
}
