using System;
using System.Linq;
using NnGen.Reference;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

/// <summary>
/// The generated backward passes against central finite differences of the generated loss, and the double-precision
/// reference (NnGen.Reference.ReferenceNetwork, which KernelPathTests compares the generated code against) against its own.
/// The networks cover every activation (linear, ReLU, sigmoid, tanh, softmax) and every loss with its usual output
/// activation, plus softmax with MSE (the unfused softmax Jacobian), and sizes that are not multiples of 8.
/// </summary>
public class GradientTests
{
    [Theory]
    [MemberData(nameof(TestData.NetworkNames), MemberType = typeof(TestData))]
    public void Gradients_match_central_finite_differences(string name)
    {
        INetwork net = TestData.Create(name);
        PerturbBiases(net);
        (float[] x, float[] y) = TestData.Batch(net, rows: 5, seed: 7);
        FiniteDifferences.Check(net, x, y, name);
    }

    [Fact]
    public void Reference_gradients_match_finite_differences_of_the_reference_loss()
    {
        // The reference is itself checked, so KernelPathTests compares against something known to be right.
        INetwork net = new OddMlp(5);
        PerturbBiases(net);
        (float[] x, float[] y) = TestData.Batch(net, rows: 3, seed: 11);
        float[] p = net.Parameters.ToArray();
        double[] grads = ReferenceNetwork.Gradients(net.Layers, net.Loss, p, x, y, 3);
        for (int i = 0; i < p.Length; i += 7)
        {
            float saved = p[i];
            p[i] = saved + 1e-4f;
            float up = p[i];
            double plus = ReferenceNetwork.Loss(net.Loss, ReferenceNetwork.Forward(net.Layers, p, x, 3)[^1], y, net.OutputSize);
            p[i] = saved - 1e-4f;
            float down = p[i];
            double minus = ReferenceNetwork.Loss(net.Loss, ReferenceNetwork.Forward(net.Layers, p, x, 3)[^1], y, net.OutputSize);
            p[i] = saved;
            double numeric = (plus - minus) / ((double)up - down);
            Assert.True(Math.Abs(grads[i] - numeric) <= 1e-4 + 1e-2 * Math.Abs(numeric), $"parameter {i}: {grads[i]} vs {numeric}");
        }
    }

    /// <summary>Non-zero biases, so a kernel that ignores them cannot pass.</summary>
    internal static void PerturbBiases(INetwork net)
    {
        var rng = new Rng(99);
        foreach (LayerInfo layer in net.Layers)
        {
            int b = layer.ParameterOffset + layer.InputUnits * layer.OutputUnits;
            for (int j = 0; j < layer.OutputUnits; j++) net.Parameters[b + j] = rng.NextFloat(-0.3f, 0.3f);
        }
    }
}
