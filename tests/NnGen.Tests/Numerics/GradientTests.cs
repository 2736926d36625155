using System;
using System.Linq;
using NnGen.Reference;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

/// <summary>
/// The generated backward passes against central finite differences of the generated loss, and the generated forward
/// pass, loss and gradients against the independent double-precision reference (NnGen.Reference.ReferenceNetwork).
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
        net.ComputeGradients(x, y, out _);
        float[] analytic = net.Gradients.ToArray();

        // Check every parameter of small networks; a spread sample of the large one.
        int count = net.Parameters.Length;
        int step = Math.Max(1, count / 400);
        const float h = 1e-3f;
        int checkedCount = 0;
        for (int i = 0; i < count; i += step)
        {
            float saved = net.Parameters[i];
            net.Parameters[i] = saved + h;
            double plus = net.ComputeLoss(x, y, out _);
            net.Parameters[i] = saved - h;
            double minus = net.ComputeLoss(x, y, out _);
            net.Parameters[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 2e-3 + 3e-2 * Math.Abs(numeric);
            Assert.True(Math.Abs(analytic[i] - numeric) <= tolerance,
                $"{name}: parameter {i}: backward pass gives {analytic[i]:G6}, finite differences {numeric:G6}");
            checkedCount++;
        }
        Assert.True(checkedCount >= Math.Min(count, 300));
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-4); // a backward pass that wrote zeros must fail
    }

    [Theory]
    [MemberData(nameof(TestData.NetworkNames), MemberType = typeof(TestData))]
    public void Forward_loss_and_gradients_match_the_double_precision_reference(string name)
    {
        INetwork net = TestData.Create(name, seed: 3);
        PerturbBiases(net);
        foreach (int rows in new[] { 1, 3, 4, 9 }) // every tile shape: 4-row tiles, 1-row remainders
        {
            (float[] x, float[] y) = TestData.Batch(net, rows, seed: rows);
            var expected = ReferenceNetwork.Forward(net.Layers, net.Parameters, x, rows)[^1];
            float[] actual = new float[rows * net.OutputSize];
            net.Predict(x, actual);
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]),
                    $"{name}, {rows} rows: output {i} is {actual[i]}, reference {expected[i]}");

            float loss = net.ComputeGradients(x, y, out _);
            double referenceLoss = ReferenceNetwork.Loss(net.Loss, expected, y, net.OutputSize);
            Assert.Equal(referenceLoss, loss, 1e-4 + 1e-4 * Math.Abs(referenceLoss));

            double[] grads = ReferenceNetwork.Gradients(net.Layers, net.Loss, net.Parameters, x, y, rows);
            Span<float> g = net.Gradients;
            double scale = grads.Max(Math.Abs);
            for (int i = 0; i < grads.Length; i++)
                Assert.True(Math.Abs(g[i] - grads[i]) <= 1e-5 * scale + 1e-4 * Math.Abs(grads[i]),
                    $"{name}, {rows} rows: gradient {i} is {g[i]}, reference {grads[i]}");
        }
    }

    [Fact]
    public void Reference_gradients_match_finite_differences_of_the_reference_loss()
    {
        // The reference is itself checked, so the comparison above is against something known to be right.
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
