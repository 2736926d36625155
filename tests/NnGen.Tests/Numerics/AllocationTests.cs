using System.Linq;
using System;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

public class AllocationTests
{
    [Fact]
    public void Training_steps_and_predictions_allocate_nothing_after_warm_up()
    {
        INetwork net = new MnistMlp(1);
        (float[] x, float[] y) = TestData.Batch(net, rows: 32, seed: 1);
        float[] one = x.AsSpan(0, MnistMlp.InputSize).ToArray();
        float[] output = new float[MnistMlp.OutputSize];

        void Step()
        {
            net.ComputeGradients(x, y, out _);
            net.Optimizer.Update(net.Parameters, net.Gradients);
        }

        Step();
        net.Predict(one, output); // warm-up: buffers and optimizer state are allocated here, once
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Step();
        long afterTraining = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) net.Predict(one, output);
        long afterPredict = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, afterTraining - before);
        Assert.Equal(0, afterPredict - afterTraining);
        Assert.InRange(Math.Abs(output.AsSpan().ToArray().Sum() - 1f), 0f, 1e-5f);
    }
}
