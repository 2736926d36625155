using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using NnGen.Callbacks;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NnGen.Terminal;

/// <summary>
/// A live progress bar per epoch for <c>Fit</c>, drawn with Spectre.Console: the step, the bar, the loss and accuracy
/// so far, samples per second and the time left; when an epoch ends its row keeps the epoch's final metrics,
/// validation included. Pass it with <c>verbose: 0</c>, or let <see cref="Select"/> choose between it and Fit's
/// Keras text (which suits redirected output and CI logs).
/// </summary>
/// <example>
/// <code>
/// var (verbose, callbacks) = SpectreProgress.Select(verbose: 1);
/// model.Fit(x, y, epochs: 10, verbose: verbose, callbacks: callbacks);
/// </code>
/// </example>
public sealed class SpectreProgress : Callback, IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly ManualResetEventSlim _ready = new(), _done = new();
    private readonly Stopwatch _clock = new();
    private Thread? _renderer;
    private ProgressContext? _context;
    private ProgressTask? _task;

    /// <summary>A progress display on <paramref name="console"/> (the process's console by default).</summary>
    public SpectreProgress(IAnsiConsole? console = null) => _console = console ?? AnsiConsole.Console;

    /// <summary>
    /// Whether a live display suits <paramref name="console"/>: it is interactive (a terminal, not redirected) and the
    /// <c>CI</c> environment variable is not set.
    /// </summary>
    public static bool IsSupported(IAnsiConsole? console = null) =>
        (console ?? AnsiConsole.Console).Profile.Capabilities.Interactive
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// The <c>verbose</c> and <c>callbacks</c> arguments for <c>Fit</c>: with verbose 1 on a console that
    /// <see cref="IsSupported"/>, a live <see cref="SpectreProgress"/> and verbose 0; otherwise Fit's own Keras text
    /// (verbose 1 prints one Keras line per epoch when redirected, 2 a terser one, 0 nothing) and no callback.
    /// </summary>
    /// <param name="verbose">Keras's verbose: 0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="console">The console, or <see langword="null"/> for the process's.</param>
    public static (int Verbose, Callback[] Callbacks) Select(int verbose, IAnsiConsole? console = null) =>
        verbose == 1 && IsSupported(console) ? (0, [new SpectreProgress(console)]) : (verbose, []);

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        _ready.Reset();
        _done.Reset();
        _renderer = new Thread(() => _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new StepColumn(), new ProgressBarColumn(),
                new PercentageColumn(), new RemainingTimeColumn(), new MetricsColumn())
            .Start(ctx =>
            {
                _context = ctx;
                _ready.Set();
                _done.Wait();
                ctx.Refresh();
            }))
        { IsBackground = true, Name = "NnGen progress" };
        _renderer.Start();
        _ready.Wait();
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        _task = _context!.AddTask($"Epoch {epoch}/{context.Epochs}", autoStart: true, maxValue: context.StepsPerEpoch);
        _task.Tag = new EpochState { Metric = NetworkExtensions.MetricName(context.Network.Loss) };
        _clock.Restart();
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(TrainingContext context, int batch, float loss, float accuracy)
    {
        var state = (EpochState)_task!.Tag!;
        state.Loss = loss;
        state.Accuracy = accuracy;
        // Samples per step on average: exact once the epoch ends, within one short last batch before.
        state.SamplesPerSecond = batch * ((double)context.TrainSamples / context.StepsPerEpoch) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        _task.Value = batch;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var state = (EpochState)_task!.Tag!;
        state.Final = new Dictionary<string, float>(logs); // Fit reuses its dictionary
        state.SamplesPerSecond = context.TrainSamples / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        _task.Value = context.StepsPerEpoch;
        _task.StopTask();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context) => Stop();

    /// <summary>Ends the display, also when training stopped by an exception.</summary>
    public void Dispose()
    {
        Stop();
        _ready.Dispose();
        _done.Dispose();
    }

    private void Stop()
    {
        if (_renderer is null) return;
        _done.Set();
        _renderer.Join();
        _renderer = null;
    }

    private sealed class EpochState
    {
        public volatile float Loss, Accuracy;
        public string Metric = "accuracy"; // "mae" for mean squared error
        public double SamplesPerSecond;
        public IReadOnlyDictionary<string, float>? Final;
    }

    /// <summary><c>345/1500</c>: steps done of the epoch's steps.</summary>
    private sealed class StepColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            string total = task.MaxValue.ToString("F0", CultureInfo.InvariantCulture);
            return new Text(task.Value.ToString("F0", CultureInfo.InvariantCulture).PadLeft(total.Length) + "/" + total);
        }
    }

    /// <summary><c>1,234 samples/s - loss: 0.4967 - accuracy: 0.8213</c>, then the validation metrics once the epoch ends.</summary>
    private sealed class MetricsColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            if (task.Tag is not EpochState state) return Text.Empty;
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{state.SamplesPerSecond:N0} samples/s");
            if (state.Final is { } logs)
            {
                foreach (var (name, value) in logs)
                    if (name != "lr") sb.Append(CultureInfo.InvariantCulture, $" - {name}: {value:F4}");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $" - loss: {state.Loss:F4} - {state.Metric}: {state.Accuracy:F4}");
            }
            return new Text(sb.ToString());
        }
    }
}
