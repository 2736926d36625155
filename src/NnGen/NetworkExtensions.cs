using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using System.Text;
using NnGen.Callbacks;
using NnGen.Optimizers;

namespace NnGen;

/// <summary>The result of <see cref="NetworkExtensions.Evaluate"/>.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Accuracy">Fraction of samples classified correctly; NaN for a mean-squared-error network, which reports <paramref name="MeanAbsoluteError"/> instead.</param>
/// <param name="MeanAbsoluteError">Mean absolute error over the samples and outputs (Keras's <c>mae</c>) for a mean-squared-error network; NaN for a classifier.</param>
public readonly record struct Evaluation(float Loss, float Accuracy, float MeanAbsoluteError = float.NaN);

/// <summary>
/// Thrown when the loss, or the gradient of a batch, becomes NaN or infinite. Nothing of that batch is committed: the weights,
/// the optimizer's state and BatchNormalization's moving statistics keep the values they had before it.
/// </summary>
public sealed class TrainingDivergedException(string message, int epoch, int batch, float loss, string? layer = null) : Exception(message)
{
    /// <summary>1-based epoch in which the loss or the gradient stopped being finite.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; } = batch;
    /// <summary>The batch's loss: NaN or infinity when the loss diverged, a finite value when only the gradient did.</summary>
    public float Loss { get; } = loss;
    /// <summary>The first layer (in <see cref="INetwork.Layers"/>) whose gradient is not finite, or <see langword="null"/> when the loss itself is not.</summary>
    public string? Layer { get; } = layer;
}

/// <summary>What <see cref="NetworkExtensions.LoadWeights"/> did: the layers loaded and those skipped, in the network's order.</summary>
public sealed record WeightsLoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<SkippedLayer> Skipped)
{
    /// <summary><c>Loaded 2 layers: base_dense, base_norm. Skipped 1: head (its weights are ... in the file but ... in the network).</c></summary>
    public override string ToString() =>
        $"Loaded {Loaded.Count} layer{(Loaded.Count == 1 ? "" : "s")}{(Loaded.Count == 0 ? "" : ": " + string.Join(", ", Loaded))}." +
        (Skipped.Count == 0 ? "" : $" Skipped {Skipped.Count}: {string.Join("; ", Skipped.Select(s => $"{s.Name} ({s.Reason})"))}.");
}

/// <summary>A layer that <see cref="NetworkExtensions.LoadWeights"/> left as it was, and why.</summary>
public readonly record struct SkippedLayer(string Name, string Reason);

/// <summary>The Keras-like training API, written once for every generated network.</summary>
public static class NetworkExtensions
{
    /// <summary>
    /// Trains the network, like Keras's <c>model.fit</c>. With <paramref name="validationSplit"/> the last fraction of the
    /// samples (taken before shuffling) is held out and evaluated after each epoch.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="inputs">n * InputSize floats, sample after sample.</param>
    /// <param name="targets">n * TargetSize floats: one-hot rows, or class indices for sparse categorical cross-entropy.</param>
    /// <param name="epochs">Passes over the training samples.</param>
    /// <param name="batchSize">Samples per gradient step (the last batch of an epoch may be smaller).</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the samples held out for validation.</param>
    /// <param name="shuffle">Shuffle the training samples every epoch.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="verbose">0 silent, 1 progress line per epoch (live on a terminal), 2 one line per epoch.</param>
    /// <param name="output">Where progress goes; the console by default.</param>
    /// <param name="callbacks">Called at the start and end of training, of each epoch and of each batch.</param>
    /// <returns>Loss and accuracy (<c>mae</c> for mean squared error) per epoch, and their validation counterparts.</returns>
    /// <exception cref="ArgumentException">An input is not finite, or a target is not what the loss takes (checked before the first update).</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradient of a batch became NaN or infinite; the weights, the optimizer
    /// state and the moving statistics are those before the failing batch.</exception>
    public static History Fit(this INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets,
        int epochs = 1, int batchSize = 32, double validationSplit = 0, bool shuffle = true, int seed = 0,
        int verbose = 1, TextWriter? output = null, IEnumerable<Callback>? callbacks = null)
    {
        int outer = Enter(network, nameof(Fit));
        try { return FitCore(network, inputs, targets, epochs, batchSize, validationSplit, shuffle, seed, verbose, output, callbacks); }
        finally { network.InUse.Exit(outer); }
    }

    private static History FitCore(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets,
        int epochs, int batchSize, double validationSplit, bool shuffle, int seed, int verbose, TextWriter? output, IEnumerable<Callback>? callbacks)
    {
        int n = CheckData(network, inputs, targets);
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Epochs must be 0 or more.");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "Validation split must be in [0, 1).");
        int trainCount = (int)Math.Floor(n * (1.0 - validationSplit));
        if (trainCount == 0) throw new ArgumentException($"No training samples are left: {n} samples with a validation split of {validationSplit}.", nameof(validationSplit));
        int valCount = n - trainCount;
        int inSize = network.InputSize, tSize = network.TargetSize;
        ReadOnlySpan<float> trainX = inputs[..(trainCount * inSize)], trainY = targets[..(trainCount * tSize)];
        ReadOnlySpan<float> valX = inputs[(trainCount * inSize)..], valY = targets[(trainCount * tSize)..];
        TrainingData.Check(network, trainX, trainY, 0, "training");
        TrainingData.Check(network, valX, valY, trainCount, "validation");

        var history = new History();
        int steps = (trainCount + batchSize - 1) / batchSize;
        var context = new TrainingContext(network, epochs, steps, trainCount, valCount, history);
        var all = new List<Callback>();
        if (verbose > 0) all.Add(new ProgressLogger(output ?? Console.Out, verbose));
        if (callbacks is not null) all.AddRange(callbacks);

        var rng = new Rng(seed);
        int[] order = new int[trainCount];
        for (int i = 0; i < trainCount; i++) order[i] = i;
        float[] batchX = shuffle ? new float[batchSize * inSize] : [];
        float[] batchY = shuffle ? new float[batchSize * tSize] : [];
        var logs = new Dictionary<string, float>();
        string metric = MetricName(network.Loss);
        // BatchNormalization updates its moving statistics in the training forward pass: kept to restore them if the batch fails.
        float[] stateBefore = new float[network.NonTrainableParameters.Length];
        // Where the trainable layers' parameters are, read before each batch (a callback may freeze or unfreeze a layer).
        var ranges = new ParameterRange[network.Layers.Count];

        foreach (Callback c in all) c.OnTrainBegin(context);
        for (int epoch = 1; epoch <= epochs && !context.StopTraining; epoch++)
        {
            foreach (Callback c in all) c.OnEpochBegin(context, epoch);
            if (shuffle) rng.Shuffle<int>(order);
            double lossSum = 0, correctSum = 0;
            int seen = 0, batch = 0;
            for (int start = 0; start < trainCount; start += batchSize)
            {
                int rows = Math.Min(batchSize, trainCount - start);
                ReadOnlySpan<float> bx, by;
                if (shuffle)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        int i = order[start + r];
                        trainX.Slice(i * inSize, inSize).CopyTo(batchX.AsSpan(r * inSize));
                        trainY.Slice(i * tSize, tSize).CopyTo(batchY.AsSpan(r * tSize));
                    }
                    bx = batchX.AsSpan(0, rows * inSize);
                    by = batchY.AsSpan(0, rows * tSize);
                }
                else
                {
                    bx = trainX.Slice(start * inSize, rows * inSize);
                    by = trainY.Slice(start * tSize, rows * tSize);
                }
                batch++;
                network.NonTrainableParameters.CopyTo(stateBefore);
                float loss = network.ComputeGradients(bx, by, out float correct);
                CheckFinite(network, stateBefore, epoch, batch, loss);
                int count = TrainableRanges(network, ranges);
                if (count < 0) network.Optimizer.Update(network.Parameters, network.Gradients); // nothing frozen: one pass over the block, as always
                else network.Optimizer.Update(network.Parameters, network.Gradients, ranges.AsSpan(0, count));
                lossSum += (double)loss * rows;
                correctSum += correct;
                seen += rows;
                foreach (Callback c in all) c.OnBatchEnd(context, batch, (float)(lossSum / seen), (float)(correctSum / seen));
            }
            logs.Clear();
            logs["loss"] = (float)(lossSum / seen);
            logs[metric] = (float)(correctSum / seen);
            if (valCount > 0)
            {
                (float valLoss, float valMetric) = EvaluateCore(network, valX, valY, batchSize);
                logs["val_loss"] = valLoss;
                logs["val_" + metric] = valMetric;
            }
            foreach (var (name, value) in logs) history.Add(name, value);
            logs["lr"] = network.Optimizer.LearningRate;
            foreach (Callback c in all) c.OnEpochEnd(context, epoch, logs);
        }
        foreach (Callback c in all) c.OnTrainEnd(context);
        return history;
    }

    /// <summary>
    /// The parameters of the trainable layers as contiguous ranges (neighbouring layers merged) in <paramref name="ranges"/>, and
    /// their count; -1 when no layer with parameters is frozen, so that the whole block is one update.
    /// </summary>
    internal static int TrainableRanges(INetwork network, ParameterRange[] ranges)
    {
        IReadOnlyList<LayerInfo> layers = network.Layers;
        int count = 0;
        bool frozen = false;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo l = layers[i];
            if (l.Parameters == 0) continue;
            if (!network.IsTrainable(i)) { frozen = true; continue; }
            if (count > 0 && ranges[count - 1].Offset + ranges[count - 1].Length == l.ParameterOffset)
                ranges[count - 1] = new ParameterRange(ranges[count - 1].Offset, ranges[count - 1].Length + l.Parameters);
            else ranges[count++] = new ParameterRange(l.ParameterOffset, l.Parameters);
        }
        return frozen ? count : -1;
    }

    /// <summary>
    /// Freezes (<paramref name="trainable"/> false) or unfreezes the layer named <paramref name="layer"/>, like setting Keras's
    /// <c>layer.trainable</c>; see <see cref="INetwork.SetTrainable"/>. Takes effect from the next batch (Keras needs a new
    /// <c>compile</c>). A layer without parameters takes the flag, to no effect, as in Keras.
    /// </summary>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the names.</exception>
    public static void SetTrainable(this INetwork network, string layer, bool trainable) =>
        network.SetTrainable(LayerIndex(network, layer), trainable);

    /// <summary>Whether the layer named <paramref name="layer"/> is trainable now.</summary>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the names.</exception>
    public static bool IsTrainable(this INetwork network, string layer) => network.IsTrainable(LayerIndex(network, layer));

    /// <summary>Freezes the named layers (see <see cref="SetTrainable(INetwork, string, bool)"/>); every name is checked before any layer changes.</summary>
    /// <exception cref="ArgumentException">A name is no layer's; the message lists the names.</exception>
    public static void Freeze(this INetwork network, params string[] layers) => SetTrainable(network, layers, false);

    /// <summary>Unfreezes the named layers (see <see cref="SetTrainable(INetwork, string, bool)"/>); every name is checked before any layer changes.</summary>
    /// <exception cref="ArgumentException">A name is no layer's; the message lists the names.</exception>
    public static void Unfreeze(this INetwork network, params string[] layers) => SetTrainable(network, layers, true);

    private static void SetTrainable(INetwork network, string[] layers, bool trainable)
    {
        ArgumentNullException.ThrowIfNull(layers);
        int[] indices = Array.ConvertAll(layers, name => LayerIndex(network, name));
        foreach (int i in indices) network.SetTrainable(i, trainable);
    }

    /// <summary>The index in <see cref="INetwork.Layers"/> of the layer named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the names.</exception>
    public static int LayerIndex(this INetwork network, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<LayerInfo> layers = network.Layers;
        for (int i = 0; i < layers.Count; i++)
            if (layers[i].Name == name) return i;
        var names = new string[layers.Count];
        for (int i = 0; i < names.Length; i++) names[i] = "'" + layers[i].Name + "'";
        throw new ArgumentException($"Network '{network.Name}' has no layer named '{name}'. Its layers are {string.Join(", ", names)}.", nameof(name));
    }

    /// <summary>
    /// Mean loss and accuracy (the mean absolute error for mean squared error) over a data set, in inference mode, like
    /// Keras's <c>model.evaluate</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An input is not finite, or a target is not what the loss takes.</exception>
    public static Evaluation Evaluate(this INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize = 32)
    {
        CheckData(network, inputs, targets);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        TrainingData.Check(network, inputs, targets, 0, null);
        float loss, metric;
        int outer = Enter(network, nameof(Evaluate));
        try { (loss, metric) = EvaluateCore(network, inputs, targets, batchSize); }
        finally { network.InUse.Exit(outer); }
        return network.Loss == Loss.MeanSquaredError ? new Evaluation(loss, float.NaN, metric) : new Evaluation(loss, metric);
    }

    /// <summary>
    /// The metric <c>Fit</c> and <c>Evaluate</c> report besides the loss, as Keras names it: <c>mae</c> (mean absolute error) for
    /// mean squared error, <c>accuracy</c> for the classification losses.
    /// </summary>
    public static string MetricName(Loss loss) => loss == Loss.MeanSquaredError ? "mae" : "accuracy";

    /// <summary>
    /// Throws when the batch's loss or one of its gradients is not finite, after restoring the moving statistics of before the
    /// batch; the optimizer has not run yet, so nothing else changed. One pass: a float sum is finite only when every term is
    /// (NaN and infinities propagate), so only a sum that overflows or a real failure looks at the layers one by one.
    /// </summary>
    private static void CheckFinite(INetwork network, float[] stateBefore, int epoch, int batch, float loss)
    {
        if (float.IsFinite(loss) && float.IsFinite(TensorPrimitives.Sum(network.Gradients))) return;
        string? problem = null, layer = null;
        if (!float.IsFinite(loss)) problem = $"the loss of epoch {epoch}, batch {batch} is {loss.ToString(CultureInfo.InvariantCulture)}";
        else
            foreach (LayerInfo l in network.Layers)
            {
                int i = FirstNonFinite(network.Gradients.Slice(l.ParameterOffset, l.Parameters));
                if (i < 0) continue;
                layer = l.Name;
                problem = $"in epoch {epoch}, batch {batch} the loss is finite ({loss.ToString(CultureInfo.InvariantCulture)}) but the gradient of layer '{l.Name}' ({l.Type}) is not: " +
                    $"its parameter {i} of {l.Parameters} has gradient {network.Gradients[l.ParameterOffset + i].ToString(CultureInfo.InvariantCulture)}";
                break;
            }
        if (problem is null) return; // finite gradients whose sum overflowed
        stateBefore.CopyTo(network.NonTrainableParameters);
        throw new TrainingDivergedException(
            $"Training diverged: {problem}. The weights, the optimizer state and the moving statistics were left as they were before that batch. " +
            "Try a smaller learning rate, normalised inputs, or gradient clipping.", epoch, batch, loss, layer);
    }

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    private static (float Loss, float Metric) EvaluateCore(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize)
    {
        int n = inputs.Length / network.InputSize;
        if (n == 0) return (float.NaN, float.NaN);
        int inSize = network.InputSize, tSize = network.TargetSize;
        double lossSum = 0, correctSum = 0;
        for (int start = 0; start < n; start += batchSize)
        {
            int rows = Math.Min(batchSize, n - start);
            float loss = network.ComputeLoss(inputs.Slice(start * inSize, rows * inSize), targets.Slice(start * tSize, rows * tSize), out float correct);
            lossSum += (double)loss * rows;
            correctSum += correct;
        }
        return ((float)(lossSum / n), (float)(correctSum / n));
    }

    /// <summary>Outputs for any number of samples, in a new array of n * OutputSize floats.</summary>
    public static float[] Predict(this INetwork network, ReadOnlySpan<float> inputs)
    {
        int n = Rows(network, inputs, nameof(inputs));
        var outputs = new float[n * network.OutputSize];
        network.Predict(inputs, outputs);
        return outputs;
    }

    /// <summary>The most probable class of one sample (argmax of its outputs), allocation-free.</summary>
    public static int PredictClass(this INetwork network, ReadOnlySpan<float> input)
    {
        if (input.Length != network.InputSize)
            throw new ArgumentException($"Expected one sample of {network.InputSize} inputs, but the span has {input.Length} floats.", nameof(input));
        Span<float> output = network.OutputSize <= 256 ? stackalloc float[network.OutputSize] : new float[network.OutputSize];
        network.Predict(input, output);
        return TensorPrimitives.IndexOfMax(output);
    }

    /// <summary>
    /// The Keras-style summary table: layers, output shapes, parameter counts and totals; the parameters of frozen layers count as
    /// non-trainable, as in Keras.
    /// </summary>
    public static string Summary(this INetwork network)
    {
        // Keras's 65-column table, widened when a layer's "name (Type)" does not fit its first column.
        const int shapeWidth = 26;
        int nameWidth = 29;
        foreach (LayerInfo layer in network.Layers) nameWidth = Math.Max(nameWidth, layer.Name.Length + layer.Type.Length + 5);
        int line = nameWidth + 36;
        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(network.Name).Append("\"\n");
        sb.Append('_', line).Append('\n');
        sb.Append(Row(" Layer (type)", "Output Shape", "Param #"));
        sb.Append('=', line).Append('\n');
        long trainable = 0, fixedCount = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerInfo layer = network.Layers[i];
            // As Keras: a frozen layer's weights count as non-trainable, besides the moving statistics.
            if (network.IsTrainable(i)) trainable += layer.Parameters;
            else fixedCount += layer.Parameters;
            fixedCount += layer.NonTrainableParameters;
            int count = layer.Parameters + layer.NonTrainableParameters;
            sb.Append(Row($" {layer.Name} ({layer.Type})", layer.KerasShape, count.ToString("N0", CultureInfo.InvariantCulture)));
            if (i < network.Layers.Count - 1) sb.Append('\n');
        }
        long total = trainable + fixedCount;
        sb.Append('=', line).Append('\n');
        sb.Append($"Total params: {total.ToString("N0", CultureInfo.InvariantCulture)} ({Bytes(total * 4)})\n");
        sb.Append($"Trainable params: {trainable.ToString("N0", CultureInfo.InvariantCulture)} ({Bytes(trainable * 4)})\n");
        sb.Append($"Non-trainable params: {fixedCount.ToString("N0", CultureInfo.InvariantCulture)} ({Bytes(fixedCount * 4)})\n");
        sb.Append('_', line).Append('\n');
        return sb.ToString();

        string Row(string name, string shape, string parameters) =>
            $"{name.PadRight(nameWidth)}{shape.PadRight(shapeWidth)}{parameters}\n";
        static string Bytes(long b) => b == 0 ? "0.00 B" : b >= 1 << 20
            ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:F2} MB")
            : b >= 1 << 10 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1024.0:F2} KB") : $"{b}.00 B";
    }

    /// <summary>
    /// Saves the weights, trainable then non-trainable, with the table of layers that loading by name reads
    /// (docs/weights-format.md), atomically.
    /// </summary>
    public static void Save(this INetwork network, string path)
    {
        WeightsFile.Save(path, network.Architecture, WeightsLayers(network), AllWeights(network, nameof(Save)));
    }

    /// <summary>The layers that have weights, as a weights file's layer table lists them.</summary>
    public static WeightsLayer[] WeightsLayers(this INetwork network)
    {
        var layers = new List<WeightsLayer>();
        foreach (LayerInfo l in network.Layers)
            if (l.Parameters + l.NonTrainableParameters > 0)
                layers.Add(new WeightsLayer(l.Name, l.Type, WeightShapes(l), l.Parameters, l.NonTrainableParameters));
        return layers.ToArray();
    }

    /// <summary>A layer's weights as Keras names and shapes them: <c>kernel (784, 256), bias (256)</c>; empty for a layer without weights.</summary>
    public static string WeightShapes(LayerInfo layer)
    {
        int n = layer.Parameters / 2;
        return layer.Type switch
        {
            "Dense" => $"kernel ({layer.InputUnits}, {layer.OutputUnits}), bias ({layer.OutputUnits})",
            "Conv2D" when layer.Window is LayerWindow w && layer.InputShape is { Count: 3 } input && layer.OutputShape is { Count: 3 } output =>
                $"kernel ({w.KernelHeight}, {w.KernelWidth}, {input[2]}, {output[2]})" + (layer.UseBias ? $", bias ({output[2]})" : ""),
            "BatchNormalization" => $"gamma ({n}), beta ({n}), moving_mean ({n}), moving_variance ({n})",
            "SimpleRNN" or "LSTM" or "GRU" when layer.InputShape is { Count: 2 } sequence => RecurrentShapes(layer.Type, sequence[1], Units(layer)),
            "Embedding" when layer.OutputShape is { Count: 2 } output => $"embeddings ({layer.Parameters / output[1]}, {output[1]})",
            _ when layer.Parameters + layer.NonTrainableParameters == 0 => "",
            _ => $"{layer.Parameters} parameters, {layer.NonTrainableParameters} non-trainable",
        };
    }

    private static int Units(LayerInfo layer) => layer.OutputShape is { Count: 2 } steps ? steps[1] : layer.OutputUnits;

    private static string RecurrentShapes(string type, int features, int units)
    {
        int width = (type switch { "LSTM" => 4, "GRU" => 3, _ => 1 }) * units;
        return $"kernel ({features}, {width}), recurrent_kernel ({units}, {width}), bias ({(type == "GRU" ? $"2, {width}" : $"{width}")})";
    }

    /// <summary>
    /// Loads weights from a file, like Keras's <c>model.load_weights</c>. Without <paramref name="byName"/>, as <see cref="Load"/>: the
    /// file must come from a network of the same architecture. With it, from any NnGen network's file (version 2, which every
    /// <see cref="Save"/> now writes): each layer of this network that has weights takes those of the file's layer of the same name,
    /// when their kinds and weight shapes agree; layers the file does not have keep their weights, as in Keras. A layer whose kind or
    /// shapes differ is an error naming it and both shapes, or, with <paramref name="skipMismatch"/>, skipped and reported. Nothing
    /// changes unless the whole load succeeds.
    /// </summary>
    /// <returns>Which layers were loaded and which were skipped, and why.</returns>
    /// <exception cref="InvalidDataException">The file is not a weights file or is damaged, has no layer table (version 1), or (without
    /// <paramref name="skipMismatch"/>) a layer's shapes differ; see <see cref="Load"/> for the rest.</exception>
    /// <exception cref="ArgumentException"><paramref name="skipMismatch"/> without <paramref name="byName"/> (as in Keras).</exception>
    public static WeightsLoadReport LoadWeights(this INetwork network, string path, bool byName = false, bool skipMismatch = false)
    {
        if (skipMismatch && !byName)
            throw new ArgumentException("skipMismatch applies only to loading by name (byName: true), as in Keras.", nameof(skipMismatch));
        if (!byName)
        {
            Load(network, path);
            return new WeightsLoadReport(WeightsLayers(network).Select(l => l.Name).ToArray(), []);
        }
        WeightsFileContents file = WeightsFile.ReadContents(path);
        if (file.Layers is null)
            throw new InvalidDataException(WeightsFile.Message(path,
                "it is a version 1 weights file, which does not record layer names; load it with Load into the network that saved it and Save it again"));
        // Where each of the file's layers has its weights: its trainable floats one after another, then all the non-trainable ones.
        var found = new Dictionary<string, (WeightsLayer Layer, int Offset, int StateOffset)>();
        int offset = 0, stateOffset = file.Layers.Sum(l => l.Parameters);
        foreach (WeightsLayer l in file.Layers)
        {
            found.TryAdd(l.Name, (l, offset, stateOffset));
            offset += l.Parameters;
            stateOffset += l.NonTrainableParameters;
        }
        var loaded = new List<string>();
        var skipped = new List<SkippedLayer>();
        var copies = new List<(int From, int To, int Length, bool State)>();
        foreach (LayerInfo mine in network.Layers)
        {
            if (mine.Parameters + mine.NonTrainableParameters == 0) continue;
            if (!found.TryGetValue(mine.Name, out var theirs))
            {
                skipped.Add(new SkippedLayer(mine.Name, "the file has no layer of that name"));
                continue;
            }
            string shapes = WeightShapes(mine);
            string? mismatch = theirs.Layer.Type != mine.Type ? $"it is a {theirs.Layer.Type} in the file but a {mine.Type} in the network"
                : theirs.Layer.Shapes != shapes || theirs.Layer.Parameters != mine.Parameters || theirs.Layer.NonTrainableParameters != mine.NonTrainableParameters
                    ? $"its weights are {theirs.Layer.Shapes} in the file but {shapes} in the network" : null;
            if (mismatch is not null)
            {
                if (!skipMismatch)
                    throw new InvalidDataException(WeightsFile.Message(path,
                        $"layer '{mine.Name}' does not match: {mismatch}. Pass skipMismatch: true to load the other layers and skip it"));
                skipped.Add(new SkippedLayer(mine.Name, mismatch));
                continue;
            }
            copies.Add((theirs.Offset, mine.ParameterOffset, mine.Parameters, false));
            copies.Add((theirs.StateOffset, mine.StateOffset, mine.NonTrainableParameters, true));
            loaded.Add(mine.Name);
        }
        int outer = Enter(network, nameof(LoadWeights));
        try
        {
            foreach (var (from, to, length, state) in copies)
                file.Weights.AsSpan(from, length).CopyTo((state ? network.NonTrainableParameters : network.Parameters).Slice(to, length));
        }
        finally { network.InUse.Exit(outer); }
        return new WeightsLoadReport(loaded.ToArray(), skipped.ToArray());
    }

    /// <summary>Loads weights saved by a network of the same architecture; anything else throws and leaves the weights unchanged.</summary>
    public static void Load(this INetwork network, string path)
    {
        float[] all = new float[network.Parameters.Length + network.NonTrainableParameters.Length];
        WeightsFile.Load(path, network.Architecture, all);
        SetAllWeights(network, all, nameof(Load));
    }

    /// <summary>Holds the network's concurrent-use guard for an operation of many calls (see <see cref="INetwork.InUse"/>).</summary>
    private static int Enter(INetwork network, string operation) => network.InUse.Enter(network.GetType().Name, operation);

    /// <summary>A copy of every weight: the trainable parameters followed by the non-trainable ones, taken under the network's concurrent-use guard.</summary>
    public static float[] AllWeights(this INetwork network) => AllWeights(network, nameof(AllWeights));

    /// <summary><see cref="AllWeights(INetwork)"/> for <paramref name="operation"/>, which a concurrent call's message names.</summary>
    private static float[] AllWeights(INetwork network, string operation)
    {
        int outer = Enter(network, operation);
        try
        {
            float[] all = new float[network.Parameters.Length + network.NonTrainableParameters.Length];
            network.Parameters.CopyTo(all);
            network.NonTrainableParameters.CopyTo(all.AsSpan(network.Parameters.Length));
            return all;
        }
        finally { network.InUse.Exit(outer); }
    }

    /// <summary>Sets every weight from <paramref name="all"/> (laid out as <see cref="AllWeights(INetwork)"/> gives them), under the network's concurrent-use guard.</summary>
    /// <exception cref="ArgumentException"><paramref name="all"/> does not hold exactly the network's weights.</exception>
    public static void SetAllWeights(this INetwork network, ReadOnlySpan<float> all) => SetAllWeights(network, all, nameof(SetAllWeights));

    private static void SetAllWeights(INetwork network, ReadOnlySpan<float> all, string operation)
    {
        int trainable = network.Parameters.Length, total = trainable + network.NonTrainableParameters.Length;
        if (all.Length != total)
            throw new ArgumentException($"Expected {total} weights ({trainable} trainable and {total - trainable} non-trainable) for '{network.Name}', but got {all.Length}.", nameof(all));
        int outer = Enter(network, operation);
        try
        {
            all[..trainable].CopyTo(network.Parameters);
            all[trainable..].CopyTo(network.NonTrainableParameters);
        }
        finally { network.InUse.Exit(outer); }
    }

    private static int CheckData(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int n = Rows(network, inputs, nameof(inputs));
        if (targets.Length != n * network.TargetSize)
            throw new ArgumentException(
                $"Expected {n} targets of {network.TargetSize} float{(network.TargetSize == 1 ? "" : "s")} each ({n * network.TargetSize} floats) for {n} input samples, but got {targets.Length} floats." +
                (network.Loss == Loss.SparseCategoricalCrossEntropy ? " Sparse categorical cross-entropy takes one class index per sample." :
                 network.TargetSize > 1 ? " Targets are one-hot rows of OutputSize floats." : ""),
                nameof(targets));
        return n;
    }

    private static int Rows(INetwork network, ReadOnlySpan<float> inputs, string name)
    {
        if (inputs.Length % network.InputSize != 0)
            throw new ArgumentException($"Expected a whole number of samples of {network.InputSize} inputs, but got {inputs.Length} floats ({inputs.Length / network.InputSize} samples and {inputs.Length % network.InputSize} floats left over).", name);
        return inputs.Length / network.InputSize;
    }

    /// <summary>
    /// Keras 2's progress text. Each epoch starts with <c>Epoch 3/10</c>. With verbose 1 the epoch ends with
    /// <c>1500/1500 [==============================] - 2s 1ms/step - loss: 0.3012 - accuracy: 0.8901 - val_loss: ...</c>, and on an
    /// interactive console the same line is redrawn during the epoch with the bar growing and <c>ETA: 1s</c> in place of the times;
    /// with verbose 2 the epoch ends with <c>1500/1500 - 2s - loss: 0.3012 - ... - 2s/epoch - 1ms/step</c>.
    /// </summary>
    private sealed class ProgressLogger(TextWriter output, int verbose) : Callback
    {
        private const int BarWidth = 30;
        private readonly bool _live = verbose == 1 && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        private readonly Stopwatch _clock = new();
        private readonly StringBuilder _line = new();
        private long _lastDraw;
        private int _lastWidth;

        public override void OnEpochBegin(TrainingContext context, int epoch)
        {
            output.WriteLine($"Epoch {epoch}/{context.Epochs}");
            _clock.Restart();
            _lastDraw = 0;
            _lastWidth = 0;
        }

        public override void OnBatchEnd(TrainingContext context, int batch, float loss, float accuracy)
        {
            int steps = context.StepsPerEpoch;
            if (!_live || batch == steps || _clock.ElapsedMilliseconds - _lastDraw < 100) return;
            _lastDraw = _clock.ElapsedMilliseconds;
            double eta = _clock.Elapsed.TotalSeconds / batch * (steps - batch);
            _line.Clear().Append('\r');
            AppendBar(_line, batch, steps);
            _line.Append(" - ETA: ").Append(FormatEta(eta));
            AppendMetric(_line, "loss", loss);
            AppendMetric(_line, MetricName(context.Network.Loss), accuracy);
            Pad();
            output.Write(_line);
        }

        public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs)
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            int steps = context.StepsPerEpoch;
            _line.Clear();
            if (verbose == 1)
            {
                if (_live) _line.Append('\r');
                AppendBar(_line, steps, steps);
                _line.Append(CultureInfo.InvariantCulture, $" - {seconds:F0}s {FormatTime(seconds / steps)}/step");
                foreach (var (name, value) in logs)
                    if (name != "lr") AppendMetric(_line, name, value);
                if (_live) Pad();
            }
            else
            {
                _line.Append(CultureInfo.InvariantCulture, $"{steps}/{steps} - {seconds:F0}s");
                foreach (var (name, value) in logs)
                    if (name != "lr") AppendMetric(_line, name, value);
                _line.Append(CultureInfo.InvariantCulture, $" - {FormatTime(seconds)}/epoch - {FormatTime(seconds / steps)}/step");
            }
            output.WriteLine(_line);
        }

        /// <summary>Blanks what is left of a longer line drawn before.</summary>
        private void Pad()
        {
            int width = _line.Length;
            if (_lastWidth > width) _line.Append(' ', _lastWidth - width);
            _lastWidth = width;
        }

        /// <summary><c> 345/1500 [=====&gt;........................]</c>: the step right-aligned to the width of the total.</summary>
        private static void AppendBar(StringBuilder sb, int step, int steps)
        {
            string total = steps.ToString(CultureInfo.InvariantCulture);
            sb.Append(step.ToString(CultureInfo.InvariantCulture).PadLeft(total.Length)).Append('/').Append(total).Append(" [");
            int filled = (int)(BarWidth * (double)step / steps);
            if (filled > 0) sb.Append('=', filled - 1).Append(step < steps ? '>' : '=');
            sb.Append('.', BarWidth - filled).Append(']');
        }

        /// <summary>Keras writes a metric with 4 decimals, or in exponent form when it is at most 1e-3 in size.</summary>
        private static void AppendMetric(StringBuilder sb, string name, float value) =>
            sb.Append(" - ").Append(name).Append(": ").Append(Math.Abs(value) > 1e-3f
                ? value.ToString("F4", CultureInfo.InvariantCulture)
                : value.ToString("0.0000e+00", CultureInfo.InvariantCulture));

        private static string FormatTime(double seconds) =>
            seconds >= 1 || seconds == 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:F0}s")
            : seconds >= 1e-3 ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F0}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F0}us");

        private static string FormatEta(double seconds)
        {
            long s = (long)seconds;
            return s > 3600 ? $"{s / 3600}:{s % 3600 / 60:00}:{s % 60:00}" : s > 60 ? $"{s / 60}:{s % 60:00}" : $"{s}s";
        }
    }
}
