using System.IO;
using NnGen.Data;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Assessment;

public class ProgressTextTests
{
    [Fact]
    public void Verbose_1_to_redirected_output_prints_kerass_per_epoch_line_with_the_bar()
    {
        (float[] x, byte[] labels) = Blobs.Make(500, seed: 2);
        var output = new StringWriter();
        new BlobNet8(seed: 1).Fit(x, Labels.ToFloat(labels), epochs: 2, batchSize: 32, validationSplit: 0.2, verbose: 1, output: output);
        string[] lines = output.ToString().Replace("\r", "").TrimEnd('\n').Split('\n');
        // keras 2: "13/13 [==============================] - 0s 2ms/step - loss: 1.0286 - accuracy: 0.4875 - val_loss: 0.9705 - val_accuracy: 0.5400"
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Equal("Epoch 2/2", lines[2]);
        foreach (string line in new[] { lines[1], lines[3] })
            Assert.Matches(@"^13/13 \[={30}\] - \d+s \d+(s|ms|us)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$", line);
    }

    [Fact]
    public void Verbose_0_prints_nothing_and_verbose_2_prints_the_epoch_and_step_times()
    {
        (float[] x, byte[] labels) = Blobs.Make(100, seed: 2);
        var quiet = new StringWriter();
        new BlobNet8(seed: 1).Fit(x, Labels.ToFloat(labels), epochs: 2, verbose: 0, output: quiet);
        Assert.Equal("", quiet.ToString());
        var terse = new StringWriter();
        new BlobNet8(seed: 1).Fit(x, Labels.ToFloat(labels), epochs: 1, batchSize: 10, verbose: 2, output: terse);
        Assert.Matches(@"^Epoch 1/1\n10/10 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+(s|ms|us)/epoch - \d+(s|ms|us)/step\n$", terse.ToString().Replace("\r", ""));
    }
}
