using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using NnGen.Callbacks;
using NnGen.Terminal;
using NnGen.Data;
using NnGen.Tests.Networks;
using Spectre.Console.Testing;

namespace NnGen.Tests.Assessment;

public class SpectreProgressTests
{
    [Fact]
    public void Each_epoch_gets_a_bar_that_ends_with_its_metrics_and_speed()
    {
        var console = new TestConsole().Interactive();
        console.Profile.Width = 200;
        (float[] x, byte[] labels) = Blobs.Make(300, seed: 2);
        using var progress = new SpectreProgress(console);
        History history = new BlobNet8(seed: 1).Fit(x, Labels.ToFloat(labels), epochs: 2, batchSize: 32, validationSplit: 0.2,
            verbose: 0, callbacks: [progress]);

        string output = console.Output;
        Assert.Contains("Epoch 1/2", output);
        Assert.Contains("Epoch 2/2", output);
        Assert.Contains("8/8", output);
        Assert.Contains("100%", output);
        Assert.Contains("samples/s", output);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            string metrics = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"loss: {history.Loss[epoch]:F4} - accuracy: {history.Accuracy[epoch]:F4} - val_loss: {history.ValLoss[epoch]:F4} - val_accuracy: {history.ValAccuracy[epoch]:F4}");
            Assert.Contains(metrics, output);
        }
    }

    [Fact]
    public void Select_keeps_kerass_text_unless_verbose_1_runs_on_an_interactive_console()
    {
        var plain = new TestConsole();
        Assert.Equal((1, 0), Shape(SpectreProgress.Select(1, plain)));
        var terminal = new TestConsole().Interactive();
        Assert.Equal((2, 0), Shape(SpectreProgress.Select(2, terminal)));
        Assert.Equal((0, 0), Shape(SpectreProgress.Select(0, terminal)));
        bool ci = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
        Assert.Equal(ci ? (1, 0) : (0, 1), Shape(SpectreProgress.Select(1, terminal)));

        static (int, int) Shape((int Verbose, Callback[] Callbacks) s) => (s.Verbose, s.Callbacks.Length);
    }

    [Fact]
    public async Task Disposing_ends_the_display_when_training_fails_midway()
    {
        var console = new TestConsole().Interactive();
        (float[] x, byte[] labels) = Blobs.Make(100, seed: 2);
        var progress = new SpectreProgress(console);
        Assert.Throws<InvalidOperationException>(() => new BlobNet8(seed: 1).Fit(x, Labels.ToFloat(labels), epochs: 2, verbose: 0,
            callbacks: [progress, new FailAtBatch(2)]));
        Task disposed = Task.Run(progress.Dispose);
        Assert.Same(disposed, await Task.WhenAny(disposed, Task.Delay(TimeSpan.FromSeconds(60)))); // the display ended
        Assert.Contains("Epoch 1/2", console.Output);
    }

    private sealed class FailAtBatch(int batch) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int b, float loss, float accuracy)
        {
            if (b == batch) throw new InvalidOperationException("stop");
        }
    }
}
