using System.Linq;

namespace NnGen.Generators.Model;

/// <summary>
/// The shape of one sample, channels-last as in Keras: <c>(784)</c> for a vector, <c>(28, 28, 1)</c> for an image
/// (height, width, channels), <c>(timesteps, features)</c> for a sequence. The batch dimension is not part of it.
/// </summary>
internal sealed record Shape(EquatableArray<int> Dims)
{
    public static Shape Of(params int[] dims) => new(dims.ToEquatableArray());

    public int Rank => Dims.Count;

    /// <summary>Floats per sample, in 64 bits and saturating at long.MaxValue, so that a product of large dimensions cannot wrap.</summary>
    public long SizeChecked => Dims.Aggregate(1L, (p, d) => d <= 0 ? 0 : p > long.MaxValue / d ? long.MaxValue : p * d);

    /// <summary>Floats per sample (checked against <see cref="ShapeInference.MaxParameters"/> before any layer is emitted).</summary>
    public int Size => (int)SizeChecked;

    /// <summary><c>(28, 28, 1)</c>.</summary>
    public override string ToString() => "(" + string.Join(", ", Dims) + ")";

    /// <summary>As the generated legend writes it: <c>784</c> for a vector, <c>(28, 28, 1)</c> otherwise.</summary>
    public string Compact => Rank == 1 ? Dims[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : ToString();
}
