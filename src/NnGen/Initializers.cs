using System;

namespace NnGen;

/// <summary>Kernel initialisers (Keras's names). The generator reads these by value: keep the numbers stable.</summary>
public enum Initializer
{
    /// <summary>U(-l, l), l = sqrt(6 / (fanIn + fanOut)).</summary>
    GlorotUniform = 0,
    /// <summary>Truncated normal, stddev sqrt(2 / (fanIn + fanOut)).</summary>
    GlorotNormal = 1,
    /// <summary>U(-l, l), l = sqrt(6 / fanIn).</summary>
    HeUniform = 2,
    /// <summary>Truncated normal, stddev sqrt(2 / fanIn).</summary>
    HeNormal = 3,
    /// <summary>U(-l, l), l = sqrt(3 / fanIn).</summary>
    LecunUniform = 4,
    /// <summary>Truncated normal, stddev sqrt(1 / fanIn).</summary>
    LecunNormal = 5,
    /// <summary>All zeros.</summary>
    Zeros = 6,
    /// <summary>All ones.</summary>
    Ones = 7,
}

/// <summary>Weight initialisers (Keras formulas). Generated constructors call these once per layer.</summary>
public static class Initializers
{
    /// <summary>Fills a (fanIn, fanOut) kernel with <paramref name="kind"/>.</summary>
    public static void Initialize(Initializer kind, Span<float> kernel, int fanIn, int fanOut, ref Rng rng)
    {
        switch (kind)
        {
            case Initializer.GlorotUniform: GlorotUniform(kernel, fanIn, fanOut, ref rng); break;
            case Initializer.Zeros: kernel.Clear(); break;
            case Initializer.Ones: kernel.Fill(1f); break;
            default: throw new NotSupportedException($"Initializer {kind} is not implemented yet.");
        }
    }

    /// <summary>Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). Keras's default for Dense.</summary>
    public static void GlorotUniform(Span<float> kernel, int fanIn, int fanOut, ref Rng rng)
    {
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < kernel.Length; i++) kernel[i] = rng.NextFloat(-limit, limit);
    }
}
