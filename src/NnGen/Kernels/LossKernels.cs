using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NnGen.Kernels;

/// <summary>
/// Losses and accuracy with Keras semantics, over a (rows, n) block of outputs <c>p</c> and targets <c>t</c>
/// (targets are (rows, 1) class indices for sparse categorical cross-entropy). Losses are means over the batch.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LossKernels
{
    /// <summary>Keras's <c>backend.epsilon()</c>: probabilities are clipped to [eps, 1 - eps] inside logarithms.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>Mean loss over the rows, and the summed accuracy (see <see cref="INetwork.ComputeGradients"/>).</summary>
    public static float Forward(Loss loss, ReadOnlySpan<float> p, ReadOnlySpan<float> t, int n, out float correct)
    {
        int rows = p.Length / n;
        double total = 0;
        correct = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> pr = p.Slice(r * n, n);
            switch (loss)
            {
                case Loss.CategoricalCrossEntropy:
                {
                    ReadOnlySpan<float> tr = t.Slice(r * n, n);
                    for (int j = 0; j < n; j++)
                        if (tr[j] != 0) total -= tr[j] * Math.Log(Clip(pr[j]));
                    correct += TensorPrimitives.IndexOfMax(pr) == TensorPrimitives.IndexOfMax(tr) ? 1 : 0;
                    break;
                }
                case Loss.SparseCategoricalCrossEntropy:
                {
                    int label = Label(t[r], n, r);
                    total -= Math.Log(Clip(pr[label]));
                    correct += TensorPrimitives.IndexOfMax(pr) == label ? 1 : 0;
                    break;
                }
                case Loss.BinaryCrossEntropy:
                {
                    ReadOnlySpan<float> tr = t.Slice(r * n, n);
                    double sum = 0;
                    for (int j = 0; j < n; j++)
                    {
                        float pj = Clip(pr[j]);
                        sum -= tr[j] * Math.Log(pj) + (1 - tr[j]) * Math.Log(1 - pj);
                    }
                    total += sum / n;
                    correct += BinaryAccuracy(pr, tr);
                    break;
                }
                case Loss.MeanSquaredError:
                {
                    ReadOnlySpan<float> tr = t.Slice(r * n, n);
                    double sum = 0;
                    for (int j = 0; j < n; j++) { double e = pr[j] - tr[j]; sum += e * e; }
                    total += sum / n;
                    correct += n == 1 ? BinaryAccuracy(pr, tr) : (TensorPrimitives.IndexOfMax(pr) == TensorPrimitives.IndexOfMax(tr) ? 1 : 0);
                    break;
                }
                default:
                    throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
            }
        }
        return (float)(total / rows);
    }

    /// <summary>
    /// Gradient of the mean loss with respect to the pre-activation (logits) of an output layer whose activation
    /// pairs with the loss: softmax with (sparse) categorical cross-entropy, sigmoid with binary cross-entropy.
    /// The activation's Jacobian cancels against the loss's, leaving <c>(p·Σt - t) / rows</c> (categorical),
    /// <c>(p - onehot) / rows</c> (sparse) or <c>(p - t) / (rows·n)</c> (binary).
    /// </summary>
    public static void LogitGradient(Loss loss, Span<float> dz, ReadOnlySpan<float> p, ReadOnlySpan<float> t, int n)
    {
        int rows = p.Length / n;
        switch (loss)
        {
            case Loss.CategoricalCrossEntropy:
                for (int r = 0; r < rows; r++)
                {
                    ReadOnlySpan<float> tr = t.Slice(r * n, n);
                    float scale = TensorPrimitives.Sum(tr) / rows;
                    for (int j = 0; j < n; j++) dz[r * n + j] = p[r * n + j] * scale - tr[j] / rows;
                }
                break;
            case Loss.SparseCategoricalCrossEntropy:
                TensorPrimitives.Multiply(p, 1f / rows, dz);
                for (int r = 0; r < rows; r++) dz[r * n + Label(t[r], n, r)] -= 1f / rows;
                break;
            case Loss.BinaryCrossEntropy:
                TensorPrimitives.Subtract(p, t, dz);
                TensorPrimitives.Multiply(dz, 1f / (rows * n), dz);
                break;
            default:
                throw new ArgumentException($"{loss} has no fused logit gradient.", nameof(loss));
        }
    }

    /// <summary>Gradient of the mean loss with respect to the outputs <c>p</c> (before the output activation's backward pass).</summary>
    public static void OutputGradient(Loss loss, Span<float> dp, ReadOnlySpan<float> p, ReadOnlySpan<float> t, int n)
    {
        int rows = p.Length / n;
        float inv = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                int i = r * n + j;
                float pi = p[i];
                dp[i] = loss switch
                {
                    Loss.CategoricalCrossEntropy => pi > Epsilon && pi < 1 - Epsilon ? -t[i] / pi * inv : 0,
                    Loss.SparseCategoricalCrossEntropy => j == Label(t[r], n, r) && pi > Epsilon && pi < 1 - Epsilon ? -1 / pi * inv : 0,
                    Loss.BinaryCrossEntropy => pi > Epsilon && pi < 1 - Epsilon ? (pi - t[i]) / (pi * (1 - pi)) * inv / n : 0,
                    Loss.MeanSquaredError => 2 * (pi - t[i]) * inv / n,
                    _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss."),
                };
            }
        }
    }

    private static float Clip(float p) => Math.Clamp(p, Epsilon, 1 - Epsilon);

    private static float BinaryAccuracy(ReadOnlySpan<float> p, ReadOnlySpan<float> t)
    {
        int hits = 0;
        for (int j = 0; j < p.Length; j++) hits += (p[j] > 0.5f) == (t[j] > 0.5f) ? 1 : 0;
        return (float)hits / p.Length;
    }

    private static int Label(float value, int classes, int row)
    {
        int label = (int)value;
        if (label != value || label < 0 || label >= classes)
            throw new ArgumentException($"Sparse target of sample {row} is {value}, but it must be a class index in [0, {classes - 1}].", "targets");
        return label;
    }
}
