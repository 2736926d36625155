using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

/// <summary>
/// Generated SimpleRNN, LSTM and GRU layers against PyTorch (rnn_torch.txt, written by rnn_torch.py: torch.nn.RNN/LSTM/GRU
/// with Keras-layout weights, gate blocks mapped, autograd in float64): outputs of Predict, and every weight gradient of
/// L = Σ dy ⊙ y through time. Short and 30-step sequences, last step and every step, and an LSTM stacked under a GRU
/// (whose input gradient is then checked through the LSTM's weight gradients).
/// </summary>
public class RecurrentTorchTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, Torch().Length));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_through_time_match_PyTorch(int index)
    {
        (string kind, int[] sizes, Dictionary<string, float[]> a) = Torch()[index];
        int rows = sizes[0], timesteps = sizes[1];
        INetwork net = Create(kind, timesteps, sizes[3]);
        string label = $"{net.GetType().Name} ({kind} {string.Join(' ', sizes)})";
        string[] weights = kind == "stacked"
            ? ["kernel1", "recurrent1", "bias1", "kernel2", "recurrent2", "bias2"]
            : ["kernel", "recurrent", "bias"];
        float[] parameters = weights.SelectMany(w => a[w]).ToArray();
        Assert.Equal(parameters.Length, net.Parameters.Length);
        parameters.CopyTo(net.Parameters);

        float[] x = a["x"], expected = a["y"], dy = a["dy"];
        Assert.Equal(rows * net.InputSize, x.Length);
        var y = new float[rows * net.OutputSize];
        net.Predict(x, y);
        Near(expected, y, label + " output");

        // Mean squared error's dL/dy is 2 (y - t) / (rows · outputs): these targets make it the file's dy.
        float scale = rows * net.OutputSize / 2f;
        float[] targets = y.Select((v, i) => v - dy[i] * scale).ToArray();
        net.ComputeGradients(x, targets, out _);
        float[] gradients = weights.SelectMany(w => a["d" + w]).ToArray();
        Near(gradients, net.Gradients.ToArray(), label + " gradients");
    }

    private static INetwork Create(string kind, int timesteps, int units) => (kind, timesteps) switch
    {
        ("simplernn", 5) => new TorchSimpleRnnShort(1),
        ("simplernn", 30) => new TorchSimpleRnnLong(1),
        ("simplernn", 6) => new TorchSimpleRnnSequence(1),
        ("lstm", 5) => new TorchLstmShort(1),
        ("lstm", 30) => new TorchLstmLong(1),
        ("lstm", 6) => new TorchLstmSequence(1),
        ("gru", 5) => new TorchGruShort(1),
        ("gru", 30) => new TorchGruLong(1),
        ("gru", 6) => new TorchGruSequence(1),
        ("stacked", _) => new TorchStacked(1),
        _ => throw new ArgumentException($"no network for {kind} over {timesteps} steps of {units} units"),
    };

    private static void Near(float[] expected, float[] actual, string label)
    {
        Assert.Equal(expected.Length, actual.Length);
        double largest = expected.Max(v => Math.Abs(v));
        Assert.True(largest > 1e-3, $"{label}: the reference is all zeros");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 + 1e-4 * Math.Abs(expected[i]),
                $"{label}[{i}]: PyTorch {expected[i]:G9}, NnGen {actual[i]:G9}");
    }

    /// <summary>
    /// The cases of rnn_torch.txt: a header line "kind B T F U rs seed" (or "stacked B T F U1 U2 seed"), then one line per
    /// named array. Arrays are returned as floats, the values having been computed in float64.
    /// </summary>
    internal static (string Kind, int[] Sizes, Dictionary<string, float[]> Arrays)[] Torch()
    {
        string path = Path.Combine(Path.GetDirectoryName(SourceFile())!, "rnn_torch.txt");
        var cases = new List<(string, int[], Dictionary<string, float[]>)>();
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split(' ');
            if (parts[0] is "simplernn" or "lstm" or "gru" or "stacked")
                cases.Add((parts[0], parts.Skip(1).Select(int.Parse).ToArray(), new()));
            else
                cases[^1].Item3[parts[0]] = parts.Skip(1).Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        return cases.ToArray();
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
