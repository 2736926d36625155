using System;
using NnGen.Generators.Model;

namespace NnGen.Generators.Layers;

/// <summary>
/// A window sliding over the height and width of a channels-last image (a convolution kernel or a pooling window),
/// with Keras/TensorFlow's output sizes and padding. The runtime's Conv2DGeometry.Create computes the same (a test
/// compares them); the generated code states the numbers computed here.
/// </summary>
internal readonly record struct Window(int Height, int Width, int Channels, int Filters, int Size, int Stride, bool Same)
{
    /// <summary>'valid': (in - k) / s + 1; 'same': ceil(in / s).</summary>
    public int OutputHeight => OutputOf(Height);
    public int OutputWidth => OutputOf(Width);

    private int OutputOf(int input) => Same ? (input + Stride - 1) / Stride : input < Size ? 0 : (input - Size) / Stride + 1;

    /// <summary>Rows (columns) of padding before the image with 'same': half the total, the odd one after, as TensorFlow.</summary>
    public int PadTop => Pad(Height, OutputHeight) / 2;
    public int PadLeft => Pad(Width, OutputWidth) / 2;
    public int PadBottom => Pad(Height, OutputHeight) - PadTop;
    public int PadRight => Pad(Width, OutputWidth) - PadLeft;

    private int Pad(int input, int output) => Same ? Math.Max((output - 1) * Stride + Size - input, 0) : 0;

    public Shape Output(int channels) => Shape.Of(OutputHeight, OutputWidth, channels);

    /// <summary>The generated geometry value: <c>new Conv2DGeometry(h, w, c, f, k, k, s, s, top, left, oh, ow)</c>.</summary>
    public string Construction =>
        $"new global::NnGen.Kernels.Conv2DGeometry({Height}, {Width}, {Channels}, {Filters}, {Size}, {Size}, {Stride}, {Stride}, {PadTop}, {PadLeft}, {OutputHeight}, {OutputWidth})";

    /// <summary>The window in the layer's description (INetwork.Layers): <c>new LayerWindow(k, k, s, s, top, left, bottom, right)</c>.</summary>
    public string Info => $"new global::NnGen.LayerWindow({Size}, {Size}, {Stride}, {Stride}, {PadTop}, {PadLeft}, {PadBottom}, {PadRight})";

    /// <summary>
    /// Whether a window layer can take <paramref name="input"/>: an image (NNG0106), and with 'valid' padding a window
    /// that fits inside it (NNG0105).
    /// </summary>
    /// <param name="what">The window as messages name it ("kernel", "pool").</param>
    /// <param name="argument">The attribute argument that states its size, and its position, for the diagnostic's location.</param>
    public static bool Accepts(Shape input, int size, bool same, string what, string argument, int position, LayerArguments a)
    {
        if (!IsImage(input, a)) return false;
        if (same || (size <= input.Dims[0] && size <= input.Dims[1])) return true;
        a.ReportAt(DiagnosticDescriptors.WindowLargerThanInput, a.Location(argument, position), null,
            a.Label, size, what, $"{input.Dims[0]}x{input.Dims[1]}x{input.Dims[2]}");
        return false;
    }

    /// <summary>NNG0106 unless <paramref name="input"/> is (height, width, channels), with the repair that fits.</summary>
    public static bool IsImage(Shape input, LayerArguments a)
    {
        if (input.Rank == 3) return true;
        string repair;
        int side = (int)Math.Round(Math.Sqrt(input.SizeChecked));
        string guess = input.Rank == 1 && (long)side * side == input.SizeChecked ? $"{side}, {side}, 1" : "height, width, channels";
        repair = a.Previous is null
            ? $"state 'InputShape = new[] {{ {guess} }}' on [Sequential]"
            : $"insert [Reshape({guess})] before it";
        a.ReportAt(DiagnosticDescriptors.NeedsImage, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input, repair);
        return false;
    }
}
