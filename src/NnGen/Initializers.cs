using System;

namespace NnGen;

/// <summary>
/// Kernel initialisers, named as in Keras (<c>kernel_initializer="he_normal"</c> is <see cref="HeNormal"/>). The values
/// are stable: generated code refers to them by number.
/// </summary>
public enum Initializer
{
    /// <summary>U(-l, l), l = sqrt(6 / (fanIn + fanOut)). Keras's default for Dense.</summary>
    GlorotUniform = 0,
    /// <summary>Truncated normal, stddev sqrt(2 / (fanIn + fanOut)) / 0.8796.</summary>
    GlorotNormal = 1,
    /// <summary>U(-l, l), l = sqrt(6 / fanIn). For ReLU layers.</summary>
    HeUniform = 2,
    /// <summary>Truncated normal, stddev sqrt(2 / fanIn) / 0.8796. For ReLU layers.</summary>
    HeNormal = 3,
    /// <summary>U(-l, l), l = sqrt(3 / fanIn).</summary>
    LecunUniform = 4,
    /// <summary>Truncated normal, stddev sqrt(1 / fanIn) / 0.8796. For SELU layers.</summary>
    LecunNormal = 5,
    /// <summary>All 0.</summary>
    Zeros = 6,
    /// <summary>All 1.</summary>
    Ones = 7,
}

/// <summary>
/// Weight initialisers with Keras's formulas (<c>keras.initializers</c>). Generated constructors call these once per layer
/// with the layer's fan-in (inputs) and fan-out (units). All are Keras's <c>VarianceScaling</c> with a scale of 1 (Glorot,
/// LeCun) or 2 (He) over fan-in or the mean of fan-in and fan-out, so that the weights' variance is scale / fan:
/// uniform ones draw from U(-sqrt(3·scale/fan), sqrt(3·scale/fan)); normal ones from a normal truncated at two standard
/// deviations (values beyond are redrawn) whose standard deviation is sqrt(scale/fan) / 0.87962566, the factor that
/// makes the truncated distribution's variance exactly scale / fan.
/// </summary>
public static class Initializers
{
    /// <summary>The standard deviation of a standard normal truncated to [-2, 2] (Keras's correction for truncation).</summary>
    public const float TruncatedNormalStddev = 0.87962566103423978f;

    /// <summary>Fills <paramref name="kernel"/> with the initialiser <paramref name="kind"/>.</summary>
    /// <param name="kind">Which initialiser.</param>
    /// <param name="kernel">The weights to fill.</param>
    /// <param name="fanIn">Inputs of the layer (rows of the kernel).</param>
    /// <param name="fanOut">Units of the layer (columns of the kernel).</param>
    /// <param name="rng">Random numbers; the constant initialisers leave it untouched.</param>
    public static void Initialize(Initializer kind, Span<float> kernel, int fanIn, int fanOut, ref Rng rng)
    {
        switch (kind)
        {
            case Initializer.GlorotUniform: GlorotUniform(kernel, fanIn, fanOut, ref rng); break;
            case Initializer.GlorotNormal: GlorotNormal(kernel, fanIn, fanOut, ref rng); break;
            case Initializer.HeUniform: HeUniform(kernel, fanIn, ref rng); break;
            case Initializer.HeNormal: HeNormal(kernel, fanIn, ref rng); break;
            case Initializer.LecunUniform: LecunUniform(kernel, fanIn, ref rng); break;
            case Initializer.LecunNormal: LecunNormal(kernel, fanIn, ref rng); break;
            case Initializer.Zeros: Zeros(kernel); break;
            case Initializer.Ones: Ones(kernel); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown initializer; expected one of {string.Join(", ", Enum.GetNames<Initializer>())}.");
        }
    }

    /// <summary>Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). Keras's default for Dense.</summary>
    public static void GlorotUniform(Span<float> kernel, int fanIn, int fanOut, ref Rng rng) =>
        Uniform(kernel, MathF.Sqrt(6f / FanSum(fanIn, fanOut)), ref rng);

    /// <summary>Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fanIn + fanOut)) / 0.8796 (variance 2 / (fanIn + fanOut)).</summary>
    public static void GlorotNormal(Span<float> kernel, int fanIn, int fanOut, ref Rng rng) =>
        TruncatedNormal(kernel, MathF.Sqrt(2f / FanSum(fanIn, fanOut)), ref rng);

    /// <summary>He uniform: U(-l, l) with l = sqrt(6 / fanIn).</summary>
    public static void HeUniform(Span<float> kernel, int fanIn, ref Rng rng) =>
        Uniform(kernel, MathF.Sqrt(6f / Fan(fanIn, nameof(fanIn))), ref rng);

    /// <summary>He normal: truncated normal with stddev sqrt(2 / fanIn) / 0.8796 (variance 2 / fanIn).</summary>
    public static void HeNormal(Span<float> kernel, int fanIn, ref Rng rng) =>
        TruncatedNormal(kernel, MathF.Sqrt(2f / Fan(fanIn, nameof(fanIn))), ref rng);

    /// <summary>LeCun uniform: U(-l, l) with l = sqrt(3 / fanIn).</summary>
    public static void LecunUniform(Span<float> kernel, int fanIn, ref Rng rng) =>
        Uniform(kernel, MathF.Sqrt(3f / Fan(fanIn, nameof(fanIn))), ref rng);

    /// <summary>LeCun normal: truncated normal with stddev sqrt(1 / fanIn) / 0.8796 (variance 1 / fanIn).</summary>
    public static void LecunNormal(Span<float> kernel, int fanIn, ref Rng rng) =>
        TruncatedNormal(kernel, MathF.Sqrt(1f / Fan(fanIn, nameof(fanIn))), ref rng);

    /// <summary>All weights 0.</summary>
    public static void Zeros(Span<float> kernel) => kernel.Clear();

    /// <summary>All weights 1.</summary>
    public static void Ones(Span<float> kernel) => kernel.Fill(1f);

    private static void Uniform(Span<float> kernel, float limit, ref Rng rng)
    {
        for (int i = 0; i < kernel.Length; i++) kernel[i] = rng.NextFloat(-limit, limit);
    }

    /// <summary>Normal with standard deviation <paramref name="stddev"/> / 0.8796, redrawn until within two of those standard deviations.</summary>
    private static void TruncatedNormal(Span<float> kernel, float stddev, ref Rng rng)
    {
        float sigma = stddev / TruncatedNormalStddev;
        for (int i = 0; i < kernel.Length; i++)
        {
            float z;
            do z = rng.NextGaussian(); while (MathF.Abs(z) > 2f);
            kernel[i] = z * sigma;
        }
    }

    private static float FanSum(int fanIn, int fanOut) => Fan(fanIn, nameof(fanIn)) + Fan(fanOut, nameof(fanOut));

    private static float Fan(int fan, string name) =>
        fan > 0 ? fan : throw new ArgumentOutOfRangeException(name, fan, $"{name} must be positive.");
}
