using System;
using System.Linq;
using NnGen.Kernels;

namespace NnGen.Tests.Numerics;

/// <summary>
/// LossKernels directly: each loss and metric against a double-precision formula written here, every gradient against central
/// differences of Forward, the clip's zero-gradient regions, and the errors.
/// </summary>
public class LossKernelTests
{
    private const int N = 4;

    // Three rows of outputs that are not a softmax's (rows sum to 1.9, 0.61 and 2.4) and one-hot / soft targets.
    private static readonly float[] P = [0.7f, 0.2f, 0.9f, 0.1f, 0.01f, 0.3f, 0.05f, 0.25f, 0.6f, 0.6f, 0.6f, 0.6f];
    private static readonly float[] T = [0, 0, 1, 0, 0.25f, 0.25f, 0.5f, 0, 1, 0, 0, 0];

    /// <summary>Keras's categorical cross-entropy for probabilities: divide by the row sum, clip to [1e-7, 1 - 1e-7], -Σ t·log.</summary>
    private static double KerasCategorical(float[] p, float[] t, int n)
    {
        int rows = p.Length / n;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++) sum += p[r * n + j];
            for (int j = 0; j < n; j++) total -= t[r * n + j] * Math.Log(Math.Clamp(p[r * n + j] / sum, 1e-7, 1 - 1e-7));
        }
        return total / rows;
    }

    [Fact]
    public void Categorical_cross_entropy_normalises_each_row_by_its_sum_like_Keras()
    {
        float loss = LossKernels.Forward(Loss.CategoricalCrossEntropy, P, T, N, out float correct);
        Assert.Equal(KerasCategorical(P, T, N), loss, 5);
        // Without the normalisation the loss would differ by far more than rounding.
        double unnormalised = -(Math.Log(0.9) + 0.25 * Math.Log(0.01) + 0.25 * Math.Log(0.3) + 0.5 * Math.Log(0.05) + Math.Log(0.6)) / 3;
        Assert.True(Math.Abs(loss - unnormalised) > 0.1, $"{loss} vs unnormalised {unnormalised}");
        Assert.Equal(2f, correct); // argmax agrees in rows 0 and 2 (ties go to the first index), not in row 1
    }

    [Fact]
    public void Categorical_cross_entropy_matches_PyTorch_autograd_of_the_same_formula()
    {
        // cce_torch.txt: loss and gradient w.r.t. the outputs, computed by cce_torch.py (PyTorch autograd, float64).
        string[] lines = System.IO.File.ReadAllLines(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(SourceFile())!, "cce_torch.txt"));
        double expectedLoss = double.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
        double[] expectedGrad = lines[1].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expectedLoss, LossKernels.Forward(Loss.CategoricalCrossEntropy, P, T, N, out _), 5);
        float[] dp = new float[P.Length];
        LossKernels.OutputGradient(Loss.CategoricalCrossEntropy, dp, P, T, N);
        for (int i = 0; i < dp.Length; i++) Assert.Equal(expectedGrad[i], dp[i], 5);
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [Theory]
    [InlineData(Loss.CategoricalCrossEntropy)]
    [InlineData(Loss.SparseCategoricalCrossEntropy)]
    [InlineData(Loss.BinaryCrossEntropy)]
    [InlineData(Loss.MeanSquaredError)]
    public void Output_gradients_match_central_differences_of_the_loss(Loss loss)
    {
        float[] t = loss == Loss.SparseCategoricalCrossEntropy ? [2, 3, 0] : T;
        float[] p = loss == Loss.BinaryCrossEntropy ? P.Select(v => Math.Min(v, 0.9f)).ToArray() : P;
        float[] dp = new float[p.Length];
        LossKernels.OutputGradient(loss, dp, p, t, N);
        for (int i = 0; i < p.Length; i++)
        {
            float[] up = (float[])p.Clone(), down = (float[])p.Clone();
            up[i] += 1e-3f;
            down[i] -= 1e-3f;
            double numeric = (LossKernels.Forward(loss, up, t, N, out _) - (double)LossKernels.Forward(loss, down, t, N, out _)) / ((double)up[i] - down[i]);
            Assert.True(Math.Abs(dp[i] - numeric) <= 2e-3 + 1e-2 * Math.Abs(numeric), $"{loss}, output {i}: gradient {dp[i]}, finite differences {numeric}");
        }
        Assert.Contains(dp, g => Math.Abs(g) > 1e-2);
    }

    [Fact]
    public void Categorical_gradient_is_zero_where_the_normalised_output_is_clipped_as_in_TensorFlow()
    {
        // Row 0: q = (1, 0, 0, 0) is clipped everywhere, so the gradient vanishes. Row 1: q1 = 0 (below eps, clipped),
        // the others inside: only the targets inside the range count.
        float[] p = [2, 0, 0, 0, 0.5f, 0, 0.25f, 0.25f];
        float[] t = [1, 0, 0, 0, 0.5f, 0.5f, 0, 0];
        float[] dp = new float[8];
        LossKernels.OutputGradient(Loss.CategoricalCrossEntropy, dp, p, t, N);
        Assert.All(dp.Take(4), g => Assert.Equal(0f, g));
        // Row 1 by hand: s = 1, q = p, g = (-0.5/0.5, 0, 0, 0), inside targets 0.5: dp = (g + 0.5) / s / rows.
        Assert.Equal([-0.25f, 0.25f, 0.25f, 0.25f], dp.Skip(4).ToArray());
    }

    [Fact]
    public void Sparse_and_binary_gradients_vanish_outside_the_clip_range()
    {
        float[] p = [1, 0, 0.5f, 0.5f];
        float[] dp = new float[4];
        // Sparse: dL/dp_i = -[i = label] / p_i + 1 / Σclip(p) where p_i is inside the range; Σclip(p) = 2 here.
        LossKernels.OutputGradient(Loss.SparseCategoricalCrossEntropy, dp, p, [0f], N);
        Assert.Equal([0f, 0, 0.5f, 0.5f], dp);
        LossKernels.OutputGradient(Loss.SparseCategoricalCrossEntropy, dp, p, [2f], N);
        Assert.Equal([0f, 0, -1.5f, 0.5f], dp);
        LossKernels.OutputGradient(Loss.BinaryCrossEntropy, dp, p, [0f, 1, 1, 0], N);
        Assert.Equal([0f, 0, -0.5f, 0.5f], dp);
    }

    [Fact]
    public void Mean_squared_error_reports_the_summed_mean_absolute_error_of_each_row()
    {
        float loss = LossKernels.Forward(Loss.MeanSquaredError, P, T, N, out float mae);
        double squares = 0, absolute = 0;
        for (int r = 0; r < 3; r++)
        {
            double rowSquares = 0, rowAbsolute = 0;
            for (int j = 0; j < N; j++)
            {
                double e = P[r * N + j] - T[r * N + j];
                rowSquares += e * e;
                rowAbsolute += Math.Abs(e);
            }
            squares += rowSquares / N;
            absolute += rowAbsolute / N;
        }
        Assert.Equal(squares / 3, loss, 6);
        Assert.Equal(absolute, mae, 5);
    }

    [Fact]
    public void Sparse_and_binary_losses_and_metrics_follow_their_formulas()
    {
        float loss = LossKernels.Forward(Loss.SparseCategoricalCrossEntropy, P, [2, 1, 3], N, out float correct);
        // Keras: softmax cross-entropy of log(clip(p)), i.e. -log(p_label / Σp) here (nothing is clipped).
        Assert.Equal(-(Math.Log(0.9 / 1.9) + Math.Log(0.3 / 0.61) + Math.Log(0.6 / 2.4)) / 3, loss, 5);
        Assert.Equal(2f, correct); // rows 0 and 1 (argmax 2, 1); row 2's argmax is 0
        loss = LossKernels.Forward(Loss.BinaryCrossEntropy, [0.8f, 0.4f, 1f, 0f], [1, 1, 0, 0], 2, out correct);
        double c = Math.Log(1 - (double)(1 - LossKernels.Epsilon)); // 1 clips to 1 - eps in float; 1 - that is 2^-23
        Assert.Equal((-(Math.Log(0.8) + Math.Log(0.4)) / 2 - c / 2) / 2, loss, 4);
        Assert.Equal(1f, correct); // row 0: one of two on the right side of 0.5; row 1: one of two
    }

    [Fact]
    public void Logit_gradients_match_central_differences_through_softmax_and_sigmoid()
    {
        float[] z = [0.3f, -1.2f, 2f, 0.1f, 1f, 1f, -0.5f, 0.7f];
        float[] soft = [0, 0, 1, 0, 0.3f, 0.3f, 0, 0.4f];
        Check(Loss.CategoricalCrossEntropy, soft, Softmax);
        Check(Loss.SparseCategoricalCrossEntropy, [2, 3], Softmax);
        Check(Loss.BinaryCrossEntropy, [1, 0, 1, 1, 0, 0, 1, 0], v => v.Select(x => 1 / (1 + MathF.Exp(-x))).ToArray());

        void Check(Loss loss, float[] t, Func<float[], float[]> activation)
        {
            float[] dz = new float[z.Length];
            LossKernels.LogitGradient(loss, dz, activation(z), t, N);
            for (int i = 0; i < z.Length; i++)
            {
                float[] up = (float[])z.Clone(), down = (float[])z.Clone();
                up[i] += 1e-2f;
                down[i] -= 1e-2f;
                double numeric = (LossKernels.Forward(loss, activation(up), t, N, out _) - (double)LossKernels.Forward(loss, activation(down), t, N, out _)) / ((double)up[i] - down[i]);
                Assert.True(Math.Abs(dz[i] - numeric) <= 1e-3 + 1e-2 * Math.Abs(numeric), $"{loss}, logit {i}: {dz[i]} vs {numeric}");
            }
        }

        static float[] Softmax(float[] v)
        {
            var result = new float[v.Length];
            for (int r = 0; r < v.Length / N; r++)
            {
                float max = v.Skip(r * N).Take(N).Max(), sum = 0;
                for (int j = 0; j < N; j++) sum += result[r * N + j] = MathF.Exp(v[r * N + j] - max);
                for (int j = 0; j < N; j++) result[r * N + j] /= sum;
            }
            return result;
        }
    }

    [Fact]
    public void Bad_sparse_labels_and_unknown_losses_are_rejected()
    {
        float[] dp = new float[8];
        var e = Assert.Throws<ArgumentException>(() => LossKernels.Forward(Loss.SparseCategoricalCrossEntropy, new float[8], [1, 4], N, out _));
        Assert.Equal("The sparse target of row 1 of the batch is 4, but it must be a class index in [0, 3].", e.Message.Split(" (Parameter")[0]);
        Assert.Throws<ArgumentException>(() => LossKernels.Forward(Loss.SparseCategoricalCrossEntropy, new float[8], [-1, 0], N, out _));
        Assert.Throws<ArgumentException>(() => LossKernels.OutputGradient(Loss.SparseCategoricalCrossEntropy, dp, new float[8], [0.5f, 0], N));
        Assert.Throws<ArgumentException>(() => LossKernels.LogitGradient(Loss.SparseCategoricalCrossEntropy, dp, new float[8], [0, 3.5f], N));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossKernels.Forward((Loss)99, new float[8], new float[8], N, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossKernels.OutputGradient((Loss)99, dp, new float[8], new float[8], N));
        Assert.Throws<ArgumentException>(() => LossKernels.LogitGradient(Loss.MeanSquaredError, dp, new float[8], new float[8], N));
    }
}
