using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NnGen.Kernels;

/// <summary>
/// Losses and their metric with Keras semantics, over a (rows, n) block of outputs <c>p</c> and targets <c>t</c>
/// (targets are (rows, 1) class indices for sparse categorical cross-entropy). Losses are means over the batch.
/// For outputs that are not a softmax's, Keras normalises the rows (keras/src/backend/tensorflow/nn.py, <c>from_logits=False</c>),
/// and so do these kernels: categorical cross-entropy divides each row by its sum, then clips; sparse categorical cross-entropy
/// clips, takes logarithms and applies a softmax cross-entropy to them, i.e. <c>-log c_label + log Σc</c> with c the clipped
/// outputs. For a softmax output both normalisations are the identity up to rounding.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LossKernels
{
    /// <summary>Keras's <c>backend.epsilon()</c>: probabilities are clipped to [eps, 1 - eps] inside logarithms.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>
    /// Mean loss over the rows, and the metric summed over the rows (see <see cref="INetwork.ComputeGradients"/>): each row's
    /// accuracy (1 or 0; the fraction of outputs on the right side of 0.5 for binary cross-entropy), or for mean squared error
    /// each row's mean absolute error.
    /// </summary>
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
                    float sum = TensorPrimitives.Sum(pr);
                    for (int j = 0; j < n; j++) total -= tr[j] * Math.Log(Clip(pr[j] / sum));
                    correct += TensorPrimitives.IndexOfMax(pr) == TensorPrimitives.IndexOfMax(tr) ? 1 : 0;
                    break;
                }
                case Loss.SparseCategoricalCrossEntropy:
                {
                    int label = Label(t[r], n, r);
                    total -= Math.Log(Clip(pr[label])) - Math.Log(ClippedSum(pr));
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
                    double squares = 0, absolute = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double e = pr[j] - tr[j];
                        squares += e * e;
                        absolute += Math.Abs(e);
                    }
                    total += squares / n;
                    correct += (float)(absolute / n);
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

    /// <summary>
    /// Gradient of the mean loss with respect to the outputs <c>p</c> (before the output activation's backward pass). The clip's
    /// gradient is zero outside [eps, 1 - eps], as TensorFlow's <c>clip_by_value</c>'s. For categorical cross-entropy, with
    /// <c>s = Σp</c>, <c>q = p / s</c> and <c>g_j = -t_j / q_j</c> where q_j is inside the clip range (else 0), the chain rule
    /// through the normalisation gives <c>dL/dp_i = (g_i - Σ_j g_j·q_j) / s</c>, and <c>-Σ_j g_j·q_j</c> is the sum of the
    /// targets inside the range. For sparse categorical cross-entropy, <c>dL/dp_i = -δ_i,label / p_i + 1 / Σc</c> where p_i is inside.
    /// </summary>
    public static void OutputGradient(Loss loss, Span<float> dp, ReadOnlySpan<float> p, ReadOnlySpan<float> t, int n)
    {
        int rows = p.Length / n;
        float inv = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            if (loss == Loss.CategoricalCrossEntropy)
            {
                ReadOnlySpan<float> pr = p.Slice(r * n, n), tr = t.Slice(r * n, n);
                Span<float> dr = dp.Slice(r * n, n);
                float sum = TensorPrimitives.Sum(pr), inside = 0;
                for (int j = 0; j < n; j++)
                {
                    float q = pr[j] / sum;
                    bool clipped = !(q >= Epsilon && q <= 1 - Epsilon);
                    dr[j] = clipped ? 0 : -tr[j] / q;
                    inside += clipped ? 0 : tr[j];
                }
                for (int j = 0; j < n; j++) dr[j] = (dr[j] + inside) / sum * inv;
                continue;
            }
            bool sparse = loss == Loss.SparseCategoricalCrossEntropy;
            int label = sparse ? Label(t[r], n, r) : -1;
            float normaliser = sparse ? 1 / ClippedSum(p.Slice(r * n, n)) : 0;
            for (int j = 0; j < n; j++)
            {
                int i = r * n + j;
                float pi = p[i];
                bool clipped = !(pi >= Epsilon && pi <= 1 - Epsilon);
                dp[i] = loss switch
                {
                    Loss.SparseCategoricalCrossEntropy => clipped ? 0 : ((j == label ? -1 / pi : 0) + normaliser) * inv,
                    Loss.BinaryCrossEntropy => clipped ? 0 : (pi - t[i]) / (pi * (1 - pi)) * inv / n,
                    Loss.MeanSquaredError => 2 * (pi - t[i]) * inv / n,
                    _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss."),
                };
            }
        }
    }

    private static float Clip(float p) => Math.Clamp(p, Epsilon, 1 - Epsilon);

    private static float ClippedSum(ReadOnlySpan<float> p)
    {
        float sum = 0;
        foreach (float v in p) sum += Clip(v);
        return sum;
    }

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
            throw new ArgumentException($"The sparse target of row {row} of the batch is {value}, but it must be a class index in [0, {classes - 1}].", "targets");
        return label;
    }
}
