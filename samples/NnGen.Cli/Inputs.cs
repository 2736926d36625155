using System;
using System.IO;
using NnGen.Data;
using SkiaSharp;

namespace NnGen.Cli;

/// <summary>Reads what the commands take: labelled data from an IDX folder or a CSV file; images from a PNG, an IDX file or a CSV file.</summary>
internal static class Inputs
{
    public const int Side = 28, Pixels = Side * Side, Classes = 10;

    /// <summary>
    /// A folder of MNIST-format IDX files gives its training and test sets; a CSV file one labelled set (and no test set);
    /// no path searches for Fashion-MNIST ($NNGEN_DATA, then the Debian package's folder).
    /// </summary>
    public static (Dataset Train, Dataset? Test, string Source) LoadLabelled(string? path, CsvOptions csv)
    {
        if (path is null)
        {
            (Dataset train, Dataset test) = FashionMnist.Load();
            return (train, test, FashionMnist.FindDirectory()!);
        }
        if (Directory.Exists(path))
        {
            if (IsCsv(path)) throw new IOException($"--data: {path} is a directory, but its name says a .csv file; give the CSV file, or a folder of MNIST-format IDX files.");
            (Dataset train, Dataset test) = MnistFormat.Load(path, Classes);
            return (CheckSize(train, path), CheckSize(test, path), path);
        }
        RequireFile(path, "--data", "a folder of MNIST-format IDX files or a .csv file");
        if (!IsCsv(path))
            throw new InvalidDataException($"--data: {path} is neither a folder of MNIST-format IDX files nor a .csv file.");
        return (CheckSize(Csv.Load(path, csv with { Classes = Classes }), path), null, path);
    }

    /// <summary>Images to classify: a PNG (or JPEG), a CSV file (a label column is skipped), or an IDX images file.</summary>
    public static float[] LoadImages(string path, CsvOptions csv, bool invert)
    {
        RequireFile(path, "images", "an image file (PNG or JPEG), a .csv file or an IDX images file");
        float[] features;
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".png" or ".jpg" or ".jpeg")
        {
            features = DecodeImage(path);
        }
        else if (IsCsv(path))
        {
            features = Csv.LoadFeatures(path, out int size, csv);
            if (size != Pixels)
                throw new InvalidDataException($"{path} has {size} feature columns, but the network takes {Pixels} (28x28 pixels).");
        }
        else
        {
            features = Idx.ReadImages(path, out _, out int rows, out int cols);
            if (rows * cols != Pixels)
                throw new InvalidDataException($"{path} holds {rows}x{cols} images, but the network takes 28x28.");
        }
        if (invert)
            for (int i = 0; i < features.Length; i++) features[i] = 1 - features[i];
        return features;
    }

    /// <summary>A PNG or JPEG as 784 gray levels in [0, 1], scaled to 28x28 when it is another size.</summary>
    private static float[] DecodeImage(string path)
    {
        using SKBitmap? decoded = SKBitmap.Decode(path);
        if (decoded is null) throw new InvalidDataException($"{path} is not an image that can be decoded (PNG or JPEG).");
        using SKBitmap image = decoded.Width == Side && decoded.Height == Side
            ? decoded.Copy(SKColorType.Rgba8888)
            : decoded.Resize(new SKImageInfo(Side, Side, SKColorType.Rgba8888), new SKSamplingOptions(SKCubicResampler.Mitchell));
        var pixels = new float[Pixels];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                SKColor c = image.GetPixel(x, y);
                // Luminance, with transparent parts taken as the black background of the data sets.
                pixels[y * Side + x] = (0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue) / 255f * (c.Alpha / 255f);
            }
        return pixels;
    }

    /// <summary>Throws unless <paramref name="path"/> is a file, saying whether nothing or a directory is there, and what was expected.</summary>
    public static void RequireFile(string path, string option, string expected)
    {
        if (Directory.Exists(path)) throw new IOException($"{option}: {path} is a directory, but {expected} is expected.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{option}: {path} does not exist.", path);
    }

    private static bool IsCsv(string path) => Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);

    private static Dataset CheckSize(Dataset data, string path) => data.FeatureSize == Pixels ? data
        : throw new InvalidDataException($"{path} has {data.FeatureSize} features per sample, but the network takes {Pixels} (28x28 pixels).");
}
