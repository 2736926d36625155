using System;
using System.Collections.Generic;
using NnGen.Callbacks;

namespace NnGen.Tests.Training;

/// <summary>
/// Drives callbacks the way <c>Fit</c> does, epoch by epoch, with scripted metrics instead of training: before each
/// epoch's end the network's weights are set to values unique to that epoch, and a copy of them is kept.
/// </summary>
internal sealed class CallbackHarness
{
    public CallbackHarness(INetwork network, bool validation = true)
    {
        Network = network;
        Context = new TrainingContext(network, epochs: 1000, stepsPerEpoch: 1, trainSamples: 10, validationSamples: validation ? 5 : 0, new History());
    }

    public INetwork Network { get; }
    public TrainingContext Context { get; }

    /// <summary>The weights at the end of each epoch run so far (index 0 is epoch 1).</summary>
    public List<float[]> Weights { get; } = [];

    /// <summary>The learning rate after each epoch's callbacks ran.</summary>
    public List<float> LearningRates { get; } = [];

    /// <summary>Runs one training: an epoch per value of <paramref name="metric"/> until a callback stops it. Returns the epochs run.</summary>
    public int Run(Callback callback, string metric, params float[] values)
    {
        Context.StopTraining = false;
        Weights.Clear();
        LearningRates.Clear();
        callback.OnTrainBegin(Context);
        int epoch = 0;
        while (epoch < values.Length && !Context.StopTraining)
        {
            epoch++;
            callback.OnEpochBegin(Context, epoch);
            var rng = new Rng(epoch * 7919 + values.Length);
            Span<float> p = Network.Parameters;
            for (int i = 0; i < p.Length; i++) p[i] = rng.NextFloat(-1, 1);
            Weights.Add(p.ToArray());
            var logs = new Dictionary<string, float> { ["loss"] = values[epoch - 1] + 1, ["accuracy"] = 0.5f, [metric] = values[epoch - 1] };
            logs["lr"] = Network.Optimizer.LearningRate;
            callback.OnEpochEnd(Context, epoch, logs);
            LearningRates.Add(Network.Optimizer.LearningRate);
        }
        callback.OnTrainEnd(Context);
        return epoch;
    }
}
