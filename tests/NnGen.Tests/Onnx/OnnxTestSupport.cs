using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace NnGen.Tests.Onnx;

/// <summary>ONNX Runtime as the reference: runs a model on a batch and returns its single output.</summary>
internal static class OnnxRuntimeReference
{
    public static float[] Run(byte[] model, float[] inputs, int[] sampleShape, int threads = 1)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        return Run(session, inputs, sampleShape);
    }

    public static float[] Run(InferenceSession session, float[] inputs, int[] sampleShape)
    {
        int size = sampleShape.Aggregate(1, (a, b) => a * b);
        long[] shape = [inputs.Length / size, .. sampleShape.Select(d => (long)d)];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["input"], [input], ["output"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}

/// <summary>A fact that is skipped, with the reason, when Debian's python3-onnx (for onnx.checker) is not installed.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    public OnnxCheckerFactAttribute()
    {
        if (!Available.Value) Skip = "onnx.checker needs Debian's python3-onnx: sudo apt-get install -y python3-onnx.";
    }

    private static readonly Lazy<bool> Available = new(() => RunPython("import onnx").ExitCode == 0);

    /// <summary>Runs <paramref name="script"/> with /usr/bin/python3 and the arguments; exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) RunPython(string script, params string[] arguments)
    {
        if (!File.Exists(Python)) return (-1, Python + " not found");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}

/// <summary>A network of one hand-written layer description, for the exporter's refusals: nothing the generator would write.</summary>
internal sealed class FakeNetwork(params LayerInfo[] layers) : INetwork
{
    private readonly float[] _parameters = new float[layers.Sum(l => l.Parameters)], _state = new float[layers.Sum(l => l.NonTrainableParameters)];
    private NnGen.Kernels.ConcurrentUseGuard _inUse;

    public string Name => "fake";
    public int InputSize => layers[0].InputUnits;
    public int OutputSize => layers[^1].OutputUnits;
    public int TargetSize => OutputSize;
    public Loss Loss => Loss.MeanSquaredError;
    public System.Collections.Generic.IReadOnlyList<LayerInfo> Layers => layers;
    public string Architecture => "fake";
    public Span<float> Parameters => _parameters;
    public Span<float> NonTrainableParameters => _state;
    public Span<float> Gradients => Span<float>.Empty;
    public NnGen.Optimizers.IOptimizer Optimizer { get; set; } = new NnGen.Optimizers.Sgd(0.1f);
    public ref NnGen.Kernels.ConcurrentUseGuard InUse => ref _inUse;
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, out float correct) => throw new NotSupportedException();
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, out float correct) => throw new NotSupportedException();
    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();
    public bool IsTrainable(int layer) => true;
    public void SetTrainable(int layer, bool trainable) => throw new NotSupportedException();
}
