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
    /// <summary>A matrix with orthonormal rows or columns (<see cref="Initializers.Orthogonal"/>). Keras's default for recurrent kernels.</summary>
    Orthogonal = 8,
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
            case Initializer.Orthogonal: Orthogonal(kernel, fanIn, fanOut, ref rng); break;
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

    /// <summary>
    /// Orthogonal (Keras's <c>Orthogonal</c>, gain 1), the default for recurrent kernels: a (rows, cols) matrix whose rows
    /// (when rows &lt;= cols) or columns are orthonormal. As Keras: the Q of the QR decomposition of a
    /// (max(rows, cols), min(rows, cols)) standard normal matrix, signs fixed so that R's diagonal is positive (which is
    /// what Gram-Schmidt gives), transposed when rows &lt; cols.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel does not hold rows x cols floats.</exception>
    public static void Orthogonal(Span<float> kernel, int rows, int cols, ref Rng rng)
    {
        Fan(rows, nameof(rows));
        Fan(cols, nameof(cols));
        if (kernel.Length != (long)rows * cols)
            throw new ArgumentException($"Expected a kernel of {rows} x {cols} = {(long)rows * cols} floats, got {kernel.Length}.", nameof(kernel));
        int n = Math.Max(rows, cols), m = Math.Min(rows, cols);
        var q = new double[n * m]; // column-major: column j at j·n
        for (int i = 0; i < q.Length; i++) q[i] = rng.NextGaussian();
        for (int j = 0; j < m; j++)
        {
            Span<double> column = q.AsSpan(j * n, n);
            for (int pass = 0; pass < 2; pass++) // Gram-Schmidt twice ("twice is enough"): orthogonal to float precision whatever the size
                for (int k = 0; k < j; k++)
                {
                    ReadOnlySpan<double> previous = q.AsSpan(k * n, n);
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += previous[i] * column[i];
                    for (int i = 0; i < n; i++) column[i] -= dot * previous[i];
                }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += column[i] * column[i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) column[i] /= norm;
        }
        // q (n, m) with orthonormal columns; the kernel is q when rows >= cols, qᵀ otherwise.
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                kernel[r * cols + c] = (float)(rows >= cols ? q[c * n + r] : q[r * n + c]);
    }

    /// <summary>U(-limit, limit): Keras's <c>RandomUniform</c> (Embedding's default, limit 0.05).</summary>
    public static void Uniform(Span<float> kernel, float limit, ref Rng rng)
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
