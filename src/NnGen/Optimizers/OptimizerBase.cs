using System;
using System.Numerics.Tensors;
using NnGen.Kernels;

namespace NnGen.Optimizers;

/// <summary>
/// What every built-in optimizer shares, as in Keras's <c>keras.optimizers.Optimizer</c>: the learning rate (fixed or
/// following a <see cref="LearningRateSchedule"/>), the step count, and gradient clipping.
/// </summary>
/// <remarks>
/// <para>
/// Clipping, like Keras's optimizer arguments (at most one of them may be set):
/// <list type="bullet">
/// <item><see cref="ClipValue"/> (Keras <c>clipvalue</c>): each gradient is clamped to [-v, v].</item>
/// <item><see cref="GlobalClipNorm"/> (Keras <c>global_clipnorm</c>): all gradients are scaled by
/// <c>min(1, c / ‖g‖)</c>, where ‖g‖ is the L2 norm of the whole gradient block. A NaN or infinite norm makes the
/// update NaN, as in Keras. Keras's per-variable <c>clipnorm</c> has no counterpart: an optimizer here sees one
/// contiguous block of all parameters, not separate kernels and biases.</item>
/// </list>
/// Clipping is folded into the update pass: the caller's gradient span is never written.
/// </para>
/// <para>
/// Implement <see cref="IOptimizer"/> directly for an optimizer of your own; this base class is for the built-in ones.
/// </para>
/// </remarks>
public abstract unsafe class OptimizerBase : IOptimizer, IParallelWork
{
    /// <summary>
    /// Parameters from which an update is split over the cores (each part a contiguous range). The update is bound by
    /// memory, and the half a worker takes was last written by the caller's core: in the `scaling` benchmark on the 2-core
    /// VM an Adam update of 33,000 parameters split in two cost more than it saved (w = 128, batch 4: 55 us a step on two
    /// threads against 23 on one), 131,000 gained a little. 1 &lt;&lt; 15 before 2026-12-03.
    /// </summary>
    private const int ParallelLength = 1 << 16;

    private float _learningRate;

    // The update in flight while its parts run on the worker pool (the spans are pinned for its duration).
    private float* _parameters;
    private float* _gradients;
    private int _offset; // of the range in flight in the whole block, and so in the state
    private int _length;
    private GradientClip _clip;
    private float _rate;
    private long _step;

    private protected OptimizerBase(float learningRate, float? clipValue, float? globalClipNorm)
    {
        _learningRate = OptimizerChecks.NonNegative(learningRate, nameof(learningRate));
        ClipValue = Positive(clipValue, nameof(clipValue));
        GlobalClipNorm = Positive(globalClipNorm, nameof(globalClipNorm));
        if (clipValue is not null && globalClipNorm is not null)
            throw new ArgumentException(
                $"Set at most one of clipValue and globalClipNorm (as in Keras), but both were given: clipValue = {clipValue}, globalClipNorm = {globalClipNorm}.",
                nameof(globalClipNorm));
    }

    /// <summary>
    /// The learning rate of the next update. With a <see cref="Schedule"/> it is the schedule's value at
    /// <see cref="Iterations"/> and cannot be set (as in Keras).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative, NaN or infinite value.</exception>
    /// <exception cref="InvalidOperationException">Set while a <see cref="Schedule"/> is attached.</exception>
    public float LearningRate
    {
        get => Schedule is null ? _learningRate : Schedule.GetLearningRate(Iterations);
        set
        {
            if (Schedule is not null)
                throw new InvalidOperationException(
                    $"This optimizer follows a {Schedule.GetType().Name} schedule, so its learning rate cannot be set. Set Schedule to null first to use a fixed learning rate.");
            _learningRate = OptimizerChecks.NonNegative(value, nameof(LearningRate));
        }
    }

    /// <summary>
    /// A per-step learning rate schedule (Keras: passing a <c>LearningRateSchedule</c> as <c>learning_rate</c>): before
    /// update t (0-based, i.e. <see cref="Iterations"/>) the rate is <c>Schedule.GetLearningRate(t)</c>. Null (the default)
    /// for the fixed <see cref="LearningRate"/>. <see cref="Reset"/> restarts the schedule.
    /// </summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Each gradient is clamped to [-ClipValue, ClipValue] before the update (Keras <c>clipvalue</c>); null for no clamping.</summary>
    public float? ClipValue { get; }

    /// <summary>All gradients are scaled by min(1, GlobalClipNorm / ‖g‖₂) before the update (Keras <c>global_clipnorm</c>); null for no scaling.</summary>
    public float? GlobalClipNorm { get; }

    /// <inheritdoc/>
    public long Iterations { get; private set; }

    /// <inheritdoc/>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerChecks.SameLength(parameters, gradients);
        float lr = CheckedRate();
        AllocateState(parameters.Length);
        GradientClip clip = Clip(gradients, default);
        UpdateRange(parameters, gradients, 0, clip, lr, Iterations + 1);
        Iterations++;
    }

    /// <inheritdoc/>
    /// <remarks>Each range is updated as the whole block would be (split over the cores when long enough); what lies outside, parameters and state, is not read or written.</remarks>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients, ReadOnlySpan<ParameterRange> ranges)
    {
        OptimizerChecks.SameLength(parameters, gradients);
        OptimizerChecks.Ranges(ranges, parameters.Length);
        float lr = CheckedRate();
        AllocateState(parameters.Length);
        GradientClip clip = Clip(gradients, ranges);
        long step = Iterations + 1;
        foreach (ParameterRange r in ranges)
            UpdateRange(parameters.Slice(r.Offset, r.Length), gradients.Slice(r.Offset, r.Length), r.Offset, clip, lr, step);
        Iterations++;
    }

    private float CheckedRate()
    {
        float lr = LearningRate;
        if (!(lr >= 0 && float.IsFinite(lr)))
            throw new InvalidOperationException($"The learning rate schedule {Schedule?.GetType().Name} returned {lr} for step {Iterations}; a learning rate must be finite and 0 or more.");
        return lr;
    }

    /// <summary>One contiguous range, at <paramref name="offset"/> in the block (and the state): in one pass, or split over the cores.</summary>
    private void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, GradientClip clip, float lr, long step)
    {
        if (parameters.Length < ParallelLength || Workers.Count == 1)
        {
            Apply(parameters, gradients, offset, clip, lr, step);
            return;
        }
        // Element-wise, so each core updates its own contiguous range: results are identical to one pass.
        fixed (float* p = parameters)
        fixed (float* g = gradients)
        {
            _parameters = p;
            _gradients = g;
            (_offset, _length, _clip, _rate, _step) = (offset, parameters.Length, clip, lr, step);
            try { Workers.Run(this, 0); }
            finally { _parameters = _gradients = null; }
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Iterations = 0;
        ResetState();
    }

    void IParallelWork.Execute(int task, int part, int parts)
    {
        (int from, int to) = Workers.Partition(part, parts, _length, 64);
        Apply(new Span<float>(_parameters + from, to - from), new ReadOnlySpan<float>(_gradients + from, to - from), _offset + from, _clip, _rate, _step);
    }

    /// <summary>Allocates the optimizer's state for <paramref name="length"/> parameters, unless it has it already.</summary>
    private protected abstract void AllocateState(int length);

    /// <summary>One update of a contiguous range of the parameters with the clipped gradients, in one pass.</summary>
    /// <param name="parameters">The range's parameters, updated in place.</param>
    /// <param name="gradients">The range's raw gradients; <paramref name="clip"/> is applied to each as it is read.</param>
    /// <param name="offset">Where the range starts in the whole parameter block (and so in the optimizer's state).</param>
    /// <param name="clip">The clipping to apply to each gradient.</param>
    /// <param name="learningRate">The learning rate of this update.</param>
    /// <param name="step">1-based number of this update.</param>
    private protected abstract void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, GradientClip clip, float learningRate, long step);

    /// <summary>Forgets the optimizer's state (moments, velocities).</summary>
    private protected abstract void ResetState();

    /// <summary>The clipping of this update; the global norm is over <paramref name="ranges"/>'s gradients, or all of them when it is empty.</summary>
    private GradientClip Clip(ReadOnlySpan<float> gradients, ReadOnlySpan<ParameterRange> ranges)
    {
        if (ClipValue is float limit) return new GradientClip(limit, 1f);
        if (GlobalClipNorm is not float c) return GradientClip.None;
        float norm;
        if (ranges.IsEmpty) norm = TensorPrimitives.Norm(gradients);
        else
        {
            float squares = 0;
            foreach (ParameterRange r in ranges) squares += TensorPrimitives.SumOfSquares(gradients.Slice(r.Offset, r.Length));
            norm = MathF.Sqrt(squares);
        }
        // Keras's clip_by_global_norm: scale = min(1, c / norm), NaN for a NaN or infinite norm.
        float scale = !float.IsFinite(norm) ? float.NaN : norm > c ? c / norm : 1f;
        return new GradientClip(float.PositiveInfinity, scale);
    }

    private static float? Positive(float? value, string name) =>
        value is null || (value > 0 && float.IsFinite(value.Value))
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive, finite number (or null for no clipping).");
}
