using System.IO;
using NnGen.Cli;
using NnGen.Tests.Assessment;

namespace NnGen.Tests.Onnx;

/// <summary><c>export --weights model.nngw --onnx model.onnx</c>.</summary>
public sealed class OnnxCliTests : TempDirectoryTest
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private string Weights(MnistMlp model)
    {
        string path = Path.Combine(Dir, "model.nngw");
        model.Save(path);
        return path;
    }

    [Fact]
    public void Export_writes_a_model_that_OnnxRuntime_runs_as_the_weights_predict()
    {
        var model = new MnistMlp(seed: 4);
        OnnxExportTests.Randomize(model, seed: 4);
        string onnx = Path.Combine(Dir, "model.onnx");
        var (code, output, err) = Run("export", "--weights", Weights(model), "--onnx", onnx);
        Assert.True(code == 0, err);
        Assert.Contains($"ONNX model: {onnx} (", output);
        Assert.Contains("opset 17, input 'input' (batch, 784), output 'output' (batch, 10)", output);

        float[] inputs = OnnxExportTests.RandomInputs(model, 3, seed: 9);
        var expected = new float[30];
        model.Predict(inputs, expected);
        OnnxExportTests.AssertClose(expected, OnnxRuntimeReference.Run(File.ReadAllBytes(onnx), inputs, [784]), "exported by the CLI");
    }

    [Fact]
    public void Export_needs_both_files_and_names_a_directory_given_as_the_model()
    {
        var (code, _, err) = Run("export", "--weights", Weights(new MnistMlp()));
        Assert.Equal(App.UsageError, code);
        Assert.Contains("--onnx", err);

        string folder = Path.Combine(Dir, "folder");
        Directory.CreateDirectory(folder);
        (code, _, err) = Run("export", "--weights", Weights(new MnistMlp()), "--onnx", folder);
        Assert.Equal(App.Failure, code);
        Assert.Equal($"error: --onnx: {folder} is a directory, but a file is to be written there.", err.Trim());

        string missing = Path.Combine(Dir, "missing.nngw");
        (code, _, err) = Run("export", "--weights", missing, "--onnx", Path.Combine(Dir, "m.onnx"));
        Assert.Equal(App.Failure, code);
        Assert.Contains(missing, err);
        Assert.False(File.Exists(Path.Combine(Dir, "m.onnx")));
    }
}
