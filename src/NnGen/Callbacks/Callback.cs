using System.Collections.Generic;

namespace NnGen.Callbacks;

/// <summary>
/// Hooks into <c>Fit</c>, like Keras's <c>keras.callbacks.Callback</c>. Override what you need; every hook is
/// called on the training thread. Epochs and batches are 1-based.
/// </summary>
public abstract class Callback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }

    /// <summary>Before each epoch.</summary>
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }

    /// <summary>After each optimizer step, with the running means of the epoch so far: <c>loss</c>, and <c>accuracy</c>
    /// (<c>mae</c> for a mean-squared-error network: see <see cref="NetworkExtensions.MetricName"/>).</summary>
    /// <remarks>Called once per batch: keep it cheap and allocation-free.</remarks>
    public virtual void OnBatchEnd(TrainingContext context, int batch, float loss, float accuracy) { }

    /// <summary>
    /// After each epoch, with that epoch's metrics (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>, and
    /// <c>lr</c>; <c>mae</c> and <c>val_mae</c> in place of the accuracies for a mean-squared-error network). Set <see cref="TrainingContext.StopTraining"/> to end training after this epoch.
    /// </summary>
    public virtual void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs) { }

    /// <summary>After the last epoch (also when a callback stopped training early).</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }
}

/// <summary>What callbacks see of a running <c>Fit</c>.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(INetwork network, int epochs, int stepsPerEpoch, int trainSamples, int validationSamples, History history)
    {
        Network = network;
        Epochs = epochs;
        StepsPerEpoch = stepsPerEpoch;
        TrainSamples = trainSamples;
        ValidationSamples = validationSamples;
        History = history;
    }

    /// <summary>The network being trained (its weights, its optimizer and learning rate).</summary>
    public INetwork Network { get; }
    /// <summary>Epochs requested.</summary>
    public int Epochs { get; }
    /// <summary>Batches per epoch.</summary>
    public int StepsPerEpoch { get; }
    /// <summary>Training samples per epoch.</summary>
    public int TrainSamples { get; }
    /// <summary>Validation samples (0 without validation data).</summary>
    public int ValidationSamples { get; }
    /// <summary>The metrics so far.</summary>
    public History History { get; }
    /// <summary>Set by a callback to end training after the current epoch (Keras's <c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }
}
