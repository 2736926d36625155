using System;
using System.Linq;
using System.ComponentModel;

namespace NnGen.Kernels;

/// <summary>
/// Geometry of a 2-D window operation (convolution or pooling) over NHWC samples (channels last), with Keras/TensorFlow
/// padding rules. For pooling, <see cref="Filters"/> equals <see cref="Channels"/> and the kernel is the pool size.
/// </summary>
/// <param name="Height">Input height H.</param>
/// <param name="Width">Input width W.</param>
/// <param name="Channels">Input channels C.</param>
/// <param name="Filters">Output channels F (C for pooling).</param>
/// <param name="KernelHeight">Window height KH.</param>
/// <param name="KernelWidth">Window width KW.</param>
/// <param name="StrideHeight">Vertical stride.</param>
/// <param name="StrideWidth">Horizontal stride.</param>
/// <param name="PadTop">Rows of implicit padding above the input (the window of output row 0 starts at input row -PadTop).</param>
/// <param name="PadLeft">Columns of implicit padding left of the input.</param>
/// <param name="OutputHeight">Output height OH.</param>
/// <param name="OutputWidth">Output width OW.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct Conv2DGeometry(int Height, int Width, int Channels, int Filters, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, int PadTop, int PadLeft, int OutputHeight, int OutputWidth)
{
    /// <summary>
    /// The geometry of a layer. 'valid': <c>out = (in - k) / s + 1</c> (floor), no padding. 'same': <c>out = ceil(in / s)</c>,
    /// <c>pad_total = max((out - 1)·s + k - in, 0)</c>, <c>pad_top = pad_total / 2</c> (the extra row/column goes at the
    /// bottom/right), as TensorFlow.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, or the output would be empty.</exception>
    public static Conv2DGeometry Create(int height, int width, int channels, int filters, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, bool same)
    {
        Positive(height, nameof(height));
        Positive(width, nameof(width));
        Positive(channels, nameof(channels));
        Positive(filters, nameof(filters));
        Positive(kernelHeight, nameof(kernelHeight));
        Positive(kernelWidth, nameof(kernelWidth));
        Positive(strideHeight, nameof(strideHeight));
        Positive(strideWidth, nameof(strideWidth));
        (int oh, int top) = Axis(height, kernelHeight, strideHeight, same, "height");
        (int ow, int left) = Axis(width, kernelWidth, strideWidth, same, "width");
        return new Conv2DGeometry(height, width, channels, filters, kernelHeight, kernelWidth, strideHeight, strideWidth, top, left, oh, ow);
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"Conv2D geometry: {name} must be positive, got {value}.", name);
    }

    private static (int Output, int PadBefore) Axis(int size, int kernel, int stride, bool same, string axis)
    {
        if (same)
        {
            int output = (size + stride - 1) / stride;
            int total = Math.Max((output - 1) * stride + kernel - size, 0);
            return (output, total / 2);
        }
        if (kernel > size)
            throw new ArgumentException($"Conv2D geometry: with 'valid' padding the kernel {axis} {kernel} exceeds the input {axis} {size}, so the output would be empty.");
        return ((size - kernel) / stride + 1, 0);
    }

    /// <summary>Checks that the sizes are positive and the padding and output sizes consistent (every window overlaps the input).</summary>
    internal void Validate()
    {
        if (Height <= 0 || Width <= 0 || Channels <= 0 || Filters <= 0 || KernelHeight <= 0 || KernelWidth <= 0 ||
            StrideHeight <= 0 || StrideWidth <= 0 || OutputHeight <= 0 || OutputWidth <= 0 || PadTop < 0 || PadLeft < 0 ||
            PadTop >= KernelHeight || PadLeft >= KernelWidth ||
            (OutputHeight - 1) * StrideHeight - PadTop >= Height || (OutputWidth - 1) * StrideWidth - PadLeft >= Width)
            throw new ArgumentException($"Conv2D geometry is inconsistent (sizes must be positive, padding smaller than the kernel, every window must overlap the input): {this}.");
    }

    /// <summary>Floats in one input sample, H·W·C.</summary>
    internal int InputSize => Height * Width * Channels;

    /// <summary>Floats in one output sample, OH·OW·F.</summary>
    internal int OutputSize => OutputHeight * OutputWidth * Filters;

    /// <summary>Floats in the kernel, KH·KW·C·F.</summary>
    internal int KernelSize => KernelHeight * KernelWidth * Channels * Filters;

    /// <summary>Throws when <paramref name="span"/> holds fewer than <paramref name="needed"/> floats; the message names
    /// <paramref name="what"/> (say "rows·H·W·C") and the factors given (built only on failure: the kernels allocate nothing).</summary>
    internal static void CheckLength(ReadOnlySpan<float> span, long needed, string name, string what, int a = -1, int b = -1, int c = -1, int d = -1)
    {
        if (span.Length < needed)
        {
            string factors = string.Join("·", new[] { a, b, c, d }.Where(v => v >= 0));
            throw new ArgumentException($"{name} must hold at least {needed} floats ({what}{(factors.Length > 0 ? " = " + factors : "")}), got {span.Length}.", name);
        }
    }

    internal static void CheckRows(int rows)
    {
        if (rows < 0) throw new ArgumentException($"rows must not be negative, got {rows}.", nameof(rows));
    }

    internal static void CheckRange(int from, int to, long count, string fromName, string toName, string what)
    {
        if (from < 0 || from > to || to > count)
            throw new ArgumentException($"[{fromName}, {toName}) = [{from}, {to}) must lie within [0, {count}] ({what}).", fromName);
    }
}
