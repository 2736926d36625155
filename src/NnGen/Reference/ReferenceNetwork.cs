using System;
using System.Collections.Generic;

namespace NnGen.Reference;

/// <summary>
/// The naive reference: a sequential dense network evaluated in double precision with plain loops, written
/// independently of the generated kernels (no SIMD, no fusion, the textbook chain rule). Tests check every
/// generated forward pass, loss and gradient against it. Not for production use: it allocates freely.
/// </summary>
public static class ReferenceNetwork
{
    /// <summary>The reference knows Dense layers only: anything else would be computed as if it were one.</summary>
    private static void DenseOnly(IReadOnlyList<LayerInfo> layers)
    {
        foreach (LayerInfo layer in layers)
            if (layer.Type != "Dense")
                throw new NotSupportedException($"The reference network computes Dense layers only, but layer '{layer.Name}' is {layer.Type}; " +
                    "check other layers against their own reference kernels (ConvReference).");
    }

    /// <summary>Layer outputs, first to last, for <paramref name="rows"/> samples.</summary>
    public static List<double[]> Forward(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int rows)
    {
        DenseOnly(layers);
        var outputs = new List<double[]>();
        double[] x = ToDouble(inputs);
        foreach (LayerInfo layer in layers)
        {
            int k = layer.InputUnits, n = layer.OutputUnits, w = layer.ParameterOffset, b = w + k * n;
            var y = new double[rows * n];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < n; j++)
                {
                    double s = parameters[b + j];
                    for (int q = 0; q < k; q++) s += x[r * k + q] * parameters[w + q * n + j];
                    y[r * n + j] = s;
                }
                Activate(layer.Activation, y.AsSpan(r * n, n));
            }
            outputs.Add(y);
            x = y;
        }
        return outputs;
    }

    /// <summary>
    /// Mean loss over the rows (Keras definitions, with probabilities clipped to [1e-7, 1 - 1e-7] in logarithms; categorical
    /// cross-entropy first divides each row by its sum, sparse categorical cross-entropy adds log Σ clip(p), as Keras does
    /// when the output is not a softmax's).
    /// </summary>
    public static double Loss(Loss loss, double[] p, ReadOnlySpan<float> targets, int n)
    {
        int rows = p.Length / n;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double rowSum = RowSum(loss, p, r, n);
            for (int j = 0; j < n; j++)
            {
                double pj = p[r * n + j] / rowSum;
                double t = loss == NnGen.Loss.SparseCategoricalCrossEntropy ? (targets[r] == j ? 1 : 0) : targets[r * n + j];
                double c = Math.Clamp(pj, 1e-7, 1 - 1e-7);
                total += loss switch
                {
                    NnGen.Loss.CategoricalCrossEntropy => -t * Math.Log(c),
                    NnGen.Loss.SparseCategoricalCrossEntropy => -t * Math.Log(c) + (t == 1 ? Math.Log(ClippedSum(p, r, n)) : 0),
                    NnGen.Loss.BinaryCrossEntropy => -(t * Math.Log(c) + (1 - t) * Math.Log(1 - c)) / n,
                    _ => (pj - t) * (pj - t) / n,
                };
            }
        }
        return total / rows;
    }

    /// <summary>Gradient of the mean loss with respect to every parameter, by the chain rule layer by layer (no fused shortcuts).</summary>
    public static double[] Gradients(IReadOnlyList<LayerInfo> layers, Loss loss, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int rows)
    {
        List<double[]> outs = Forward(layers, parameters, inputs, rows);
        var grads = new double[parameters.Length];
        LayerInfo last = layers[^1];
        int nOut = last.OutputUnits;
        double[] p = outs[^1];
        // dL/dq with q = p / rowSum (rowSum = 1 unless categorical cross-entropy), then dL/dp = dL/dq · dq/dp;
        // the clip's derivative is 0 outside [1e-7, 1 - 1e-7] (TensorFlow's clip_by_value).
        var dy = new double[p.Length];
        for (int r = 0; r < rows; r++)
        {
            double rowSum = RowSum(loss, p, r, nOut);
            var dq = new double[nOut];
            for (int j = 0; j < nOut; j++)
            {
                double qj = p[r * nOut + j] / rowSum;
                double t = loss == NnGen.Loss.SparseCategoricalCrossEntropy ? (targets[r] == j ? 1 : 0) : targets[r * nOut + j];
                bool inside = qj >= 1e-7 && qj <= 1 - 1e-7;
                dq[j] = loss switch
                {
                    NnGen.Loss.CategoricalCrossEntropy => inside ? -t / qj : 0,
                    NnGen.Loss.SparseCategoricalCrossEntropy => inside ? -t / qj + 1 / ClippedSum(p, r, nOut) : 0,
                    NnGen.Loss.BinaryCrossEntropy => inside ? (-t / qj + (1 - t) / (1 - qj)) / nOut : 0,
                    _ => 2 * (qj - t) / nOut,
                } / rows;
            }
            for (int i = 0; i < nOut; i++)
            {
                if (loss != NnGen.Loss.CategoricalCrossEntropy) { dy[r * nOut + i] = dq[i]; continue; }
                double s = 0; // Jacobian of q_j = p_j / Σp: (δ_ij - q_j) / Σp
                for (int j = 0; j < nOut; j++) s += dq[j] * ((i == j ? 1 : 0) - p[r * nOut + j] / rowSum) / rowSum;
                dy[r * nOut + i] = s;
            }
        }
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            LayerInfo layer = layers[l];
            int k = layer.InputUnits, n = layer.OutputUnits, w = layer.ParameterOffset, b = w + k * n;
            double[] y = outs[l];
            // through the activation: dz = J^T dy, per row
            var dz = new double[dy.Length];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < n; j++)
                {
                    double yj = y[r * n + j];
                    if (layer.Activation == Activation.Softmax)
                    {
                        double s = 0;
                        for (int q = 0; q < n; q++) s += y[r * n + q] * ((q == j ? 1 : 0) - yj) * dy[r * n + q];
                        dz[r * n + j] = s;
                    }
                    else
                    {
                        dz[r * n + j] = dy[r * n + j] * layer.Activation switch
                        {
                            Activation.Relu => yj > 0 ? 1 : 0,
                            Activation.Sigmoid => yj * (1 - yj),
                            Activation.Tanh => 1 - yj * yj,
                            _ => 1,
                        };
                    }
                }
            }
            double[] x = l == 0 ? ToDouble(inputs) : outs[l - 1];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < n; j++)
                {
                    grads[b + j] += dz[r * n + j];
                    for (int q = 0; q < k; q++) grads[w + q * n + j] += x[r * k + q] * dz[r * n + j];
                }
            var dx = new double[rows * k];
            for (int r = 0; r < rows; r++)
                for (int q = 0; q < k; q++)
                {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += dz[r * n + j] * parameters[w + q * n + j];
                    dx[r * k + q] = s;
                }
            dy = dx;
        }
        return grads;
    }

    /// <summary>Sparse categorical cross-entropy's normaliser: Keras applies a softmax to log(clip(p)), so the loss is -log c_label + log Σc.</summary>
    private static double ClippedSum(double[] p, int row, int n)
    {
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.Clamp(p[row * n + j], 1e-7, 1 - 1e-7);
        return sum;
    }

    private static double RowSum(Loss loss, double[] p, int row, int n)
    {
        if (loss != NnGen.Loss.CategoricalCrossEntropy) return 1;
        double sum = 0;
        for (int j = 0; j < n; j++) sum += p[row * n + j];
        return sum;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    private static void Activate(Activation activation, Span<double> row)
    {
        switch (activation)
        {
            case Activation.Relu:
                for (int i = 0; i < row.Length; i++) row[i] = Math.Max(0, row[i]);
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < row.Length; i++) row[i] = 1 / (1 + Math.Exp(-row[i]));
                break;
            case Activation.Tanh:
                for (int i = 0; i < row.Length; i++) row[i] = Math.Tanh(row[i]);
                break;
            case Activation.Softmax:
                double max = double.NegativeInfinity, sum = 0;
                foreach (double v in row) max = Math.Max(max, v);
                for (int i = 0; i < row.Length; i++) sum += row[i] = Math.Exp(row[i] - max);
                for (int i = 0; i < row.Length; i++) row[i] /= sum;
                break;
        }
    }
}
