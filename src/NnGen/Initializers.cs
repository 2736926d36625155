using System;

namespace NnGen;

/// <summary>Weight initialisers (Keras formulas). Generated constructors call these once per layer.</summary>
public static class Initializers
{
    /// <summary>Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). Keras's default for Dense.</summary>
    public static void GlorotUniform(Span<float> kernel, int fanIn, int fanOut, ref Rng rng)
    {
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < kernel.Length; i++) kernel[i] = rng.NextFloat(-limit, limit);
    }
}
