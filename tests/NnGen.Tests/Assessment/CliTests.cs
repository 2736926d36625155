using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NnGen.Cli;
using SkiaSharp;

namespace NnGen.Tests.Assessment;

public sealed class CliTests : TempDirectoryTest
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void AssertOneLineError(string err, string expected)
    {
        Assert.Contains(expected, err);
        Assert.Single(err.TrimEnd('\n', '\r').Split('\n'));
        Assert.DoesNotContain("Exception", err); // no type names, no stack trace
    }

    /// <summary>Two learnable classes of 28x28 images: a bright left half (class 0) or a bright right half (class 1), pixel values 0..255.</summary>
    private string WriteCsv(int rows)
    {
        var rng = new Rng(3);
        var sb = new StringBuilder("label," + string.Join(',', Enumerable.Range(0, 784).Select(i => $"pixel{i}")) + "\n");
        for (int r = 0; r < rows; r++)
        {
            int label = r % 2;
            sb.Append(label);
            for (int i = 0; i < 784; i++)
            {
                bool bright = (i % 28 < 14) == (label == 0);
                sb.Append(',').Append((bright ? 150 + rng.NextInt(100) : rng.NextInt(40)).ToString(CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        string path = Path.Combine(Dir, "data.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void Help_lists_the_commands_and_the_training_options()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("train", output);
        Assert.Contains("evaluate", output);
        Assert.Contains("predict <images>", output);
        (code, output, _) = Run("train", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--data <path>", "--epochs", "--batch-size", "--validation-split", "--seed", "--out <dir>", "[default: 10]" })
            Assert.Contains(option, output);
    }

    [Fact]
    public void A_bad_number_is_one_line_and_exit_code_2()
    {
        var (code, output, err) = Run("train", "--epochs", "abc");
        Assert.Equal(App.UsageError, code);
        Assert.Equal("", output);
        AssertOneLineError(err, "Cannot parse argument 'abc' for option '--epochs'");
        (code, _, err) = Run("train", "--validation-split", "1.5");
        Assert.Equal(2, code);
        AssertOneLineError(err, "--validation-split must be in [0, 1), but it is 1.5.");
        (code, _, err) = Run("train", "--batch-size", "0");
        Assert.Equal(2, code);
        AssertOneLineError(err, "--batch-size must be positive, but it is 0.");
    }

    [Fact]
    public void An_unknown_option_or_a_missing_command_is_one_line_and_exit_code_2()
    {
        var (code, _, err) = Run("train", "--epochz", "3");
        Assert.Equal(2, code);
        AssertOneLineError(err, "Unrecognized command or argument '--epochz'");
        Assert.EndsWith("train --help'.", err.TrimEnd());
        (code, _, err) = Run();
        Assert.Equal(2, code);
        AssertOneLineError(err, "Required command was not provided");
        (code, _, err) = Run("predict", "image.png");
        Assert.Equal(2, code);
        AssertOneLineError(err, "Option '--weights' is required");
    }

    [Fact]
    public void Missing_and_malformed_files_are_one_line_and_exit_code_1()
    {
        string missing = Path.Combine(Dir, "missing.nngw");
        var (code, _, err) = Run("predict", "--weights", missing, "image.png");
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"--weights: {missing} does not exist.");

        (code, _, err) = Run("train", "--data", Path.Combine(Dir, "nothing.csv"));
        Assert.Equal(1, code);
        AssertOneLineError(err, "nothing.csv does not exist");

        string ragged = Path.Combine(Dir, "ragged.csv");
        File.WriteAllText(ragged, "label,a,b\n1,2,3\n0,1\n");
        (code, _, err) = Run("train", "--data", ragged);
        Assert.Equal(1, code);
        AssertOneLineError(err, $"error: {ragged}, line 3: 2 columns, but the header has 3.");

        string small = Path.Combine(Dir, "small.csv");
        File.WriteAllText(small, "label,a,b\n1,2,3\n");
        (code, _, err) = Run("train", "--data", small);
        Assert.Equal(1, code);
        AssertOneLineError(err, "has 2 features per sample, but the network takes 784");
    }

    [Fact]
    public void Train_evaluate_and_predict_run_end_to_end_on_a_csv_file_and_a_png()
    {
        string csv = WriteCsv(80);
        string outDir = Path.Combine(Dir, "out");
        var (code, output, err) = Run("train", "--data", csv, "--epochs", "3", "--validation-split", "0.5", "--seed", "2",
            "--out", outDir, "--verbose", "1", "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.True(code == 0, err);
        Assert.Contains("Training on 40 samples, validating on 40", output);
        Assert.Matches(@"Epoch 3/3\n2/2 \[={30}\] - \d+s \d+(s|ms|us)/step - loss: ", output.Replace("\r", ""));
        foreach (string file in new[] { "model.nngw", "accuracy.png", "loss.png", "predictions.png", "confusion_matrix.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        string weights = Path.Combine(outDir, "model.nngw");
        (code, output, err) = Run("evaluate", "--weights", weights, "--data", csv, "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.True(code == 0, err);
        Assert.Matches(@"Evaluation: 80 samples - loss: \d\.\d{4} - accuracy: 1\.0000", output);
        Assert.Contains("precision    recall  f1-score   support", output);
        Assert.Contains("        left       1.00      1.00      1.00        40", output);

        (code, output, _) = Run("predict", "--weights", weights, csv, "--limit", "3", "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.Equal(0, code);
        Assert.Matches(@"^0\tleft\t\d+\.\d%\n1\tright\t\d+\.\d%\n2\tleft\t\d+\.\d%\n$", output.Replace("\r", ""));

        // A 56x56 PNG, bright on the right: scaled to 28x28 and classified as class 1.
        string png = Path.Combine(Dir, "right.png");
        using (var bitmap = new SKBitmap(56, 56))
        {
            for (int y = 0; y < 56; y++)
                for (int x = 0; x < 56; x++) bitmap.SetPixel(x, y, x >= 28 ? new SKColor(220, 220, 220) : SKColors.Black);
            using var file = File.Create(png);
            bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
        }
        (code, output, _) = Run("predict", "--weights", weights, png, "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.Equal(0, code);
        Assert.StartsWith("0\tright\t", output);
        (code, output, _) = Run("predict", "--weights", weights, png, "--invert", "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.StartsWith("0\tleft\t", output);

        string notPng = Path.Combine(Dir, "broken.png");
        File.WriteAllText(notPng, "not an image");
        (code, _, err) = Run("predict", "--weights", weights, notPng);
        Assert.Equal(1, code);
        AssertOneLineError(err, "is not an image that can be decoded");
    }

    [Fact]
    public void Tune_scores_each_trial_on_the_validation_split_and_keeps_the_best()
    {
        string csv = WriteCsv(80);
        string outDir = Path.Combine(Dir, "tune");
        var (code, output, err) = Run("tune", "--data", csv, "--learning-rates", "1e-7", "0.003", "--batch-sizes", "16", "--epochs", "2",
            "--validation-split", "0.5", "--parallel", "2", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("2 trials on 80 samples", output);
        Assert.Contains("Best: learning_rate=0.003, batch_size=16, epochs=2, retrained on all 80 samples.", output);
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "tuning.csv"));
        Assert.Equal("trial,rank,learning_rate,batch_size,epochs,val_accuracy,loss,accuracy,val_loss,seconds,error", rows[0]);
        Assert.StartsWith("1,2,1E-07,16,2,", rows[1]);
        Assert.StartsWith("2,1,0.003,16,2,1,", rows[2]);
        Assert.True(File.Exists(Path.Combine(outDir, "model.nngw")));

        (code, _, err) = Run("tune", "--data", csv, "--validation-split", "0");
        Assert.Equal(1, code);
        AssertOneLineError(err, "error: The validation split must be in (0, 1): trials are scored on the held-out samples.");
    }
}
