namespace NnGen.Optimizers;

/// <summary>
/// Adam with decoupled weight decay, as Keras's <c>keras.optimizers.AdamW</c>: before each Adam step every parameter
/// shrinks by <c>p -= lr·weightDecay·p</c>, independently of the gradient (Loshchilov and Hutter, "Decoupled Weight
/// Decay Regularization"). As in Keras, the decay applies to every parameter, biases included; it uses the same
/// learning rate as the step (a <see cref="OptimizerBase.Schedule"/> scales both). One fused, vectorised pass.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW with the Keras defaults unless told otherwise.</summary>
    /// <param name="learningRate">Step size (Keras default 1e-3).</param>
    /// <param name="weightDecay">Decay per unit learning rate (Keras default 0.004).</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="epsilon">Added to sqrt(v).</param>
    /// <param name="clipValue">Clamp each gradient to [-clipValue, clipValue] (Keras <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Scale the gradients down to this global L2 norm when larger (Keras <c>global_clipnorm</c>).</param>
    public AdamW(float learningRate = 1e-3f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, weightDecay, beta1, beta2, epsilon, clipValue, globalClipNorm)
    {
    }

    /// <summary>Decay per unit learning rate: each update first does <c>p -= LearningRate·WeightDecay·p</c>.</summary>
    public float WeightDecay => DecoupledWeightDecay;
}
