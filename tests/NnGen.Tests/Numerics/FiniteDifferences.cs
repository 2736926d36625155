using System;
using System.Linq;

namespace NnGen.Tests.Numerics;

/// <summary>
/// Central differences of the training-mode loss (ComputeGradients' return value) against the backward pass, for
/// every parameter of a small network or an even spread of about 400 of a large one.
/// </summary>
internal static class FiniteDifferences
{
    /// <param name="beforeEachEvaluation">Run before each loss evaluation, e.g. to hold dropout masks fixed.</param>
    /// <param name="include">Which parameters to check (all by default), e.g. only those of trainable layers.</param>
    public static void Check(INetwork net, float[] x, float[] y, string label, Action? beforeEachEvaluation = null, Func<int, bool>? include = null)
    {
        beforeEachEvaluation?.Invoke();
        net.ComputeGradients(x, y, out _);
        float[] analytic = net.Gradients.ToArray();
        int[] indices = Enumerable.Range(0, net.Parameters.Length).Where(include ?? (_ => true)).ToArray();
        int count = indices.Length, step = Math.Max(1, count / 400), checkedCount = 0;
        for (int k = 0; k < count; k += step)
        {
            int i = indices[k];
            float saved = net.Parameters[i];
            net.Parameters[i] = saved + 1e-3f;
            float up = net.Parameters[i];
            beforeEachEvaluation?.Invoke();
            double plus = net.ComputeGradients(x, y, out _);
            net.Parameters[i] = saved - 1e-3f;
            float down = net.Parameters[i];
            beforeEachEvaluation?.Invoke();
            double minus = net.ComputeGradients(x, y, out _);
            net.Parameters[i] = saved;
            double numeric = (plus - minus) / ((double)up - down);
            Assert.True(Math.Abs(analytic[i] - numeric) <= 2e-3 + 3e-2 * Math.Abs(numeric),
                $"{label}: parameter {i}: backward pass gives {analytic[i]:G6}, finite differences {numeric:G6}");
            checkedCount++;
        }
        Assert.True(checkedCount >= Math.Min(count, 300));
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-4); // a backward pass that wrote zeros must fail
    }
}
