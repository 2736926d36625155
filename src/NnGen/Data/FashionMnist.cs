using System;
using System.IO;

namespace NnGen.Data;

/// <summary>
/// Locates and loads Fashion-MNIST: 60,000 training and 10,000 test grayscale 28x28 images of clothing in
/// 10 classes, in the MNIST IDX layout (see <see cref="MnistFormat"/>).
/// </summary>
public static class FashionMnist
{
    /// <summary>Environment variable naming a folder with the dataset's IDX files.</summary>
    public const string EnvironmentVariable = "NNGEN_DATA";

    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Number of classes.</summary>
    public const int Classes = 10;

    /// <summary>How to get the data, for error messages and command-line help.</summary>
    public static string HowToGetData =>
        "To get Fashion-MNIST, either:" + Environment.NewLine +
        $"  - install the Debian package: sudo apt-get install -y dataset-fashion-mnist (the files land in {SystemDirectory}), or" + Environment.NewLine +
        $"  - pass --data DIR or set {EnvironmentVariable}=DIR, where DIR holds the four MNIST-format IDX files (raw or .gz): " +
        string.Join(", ", MnistFormat.FileNames) + ".";

    /// <summary>The class names, indexed by label (a new array on each call).</summary>
    public static string[] ClassNames =>
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The first folder holding all four files among: <paramref name="explicitDir"/>, the folder named by
    /// <see cref="EnvironmentVariable"/>, and <see cref="SystemDirectory"/>.
    /// </summary>
    /// <param name="explicitDir">A folder given by the user (for example with <c>--data</c>), or <see langword="null"/>.</param>
    /// <returns>The folder, or <see langword="null"/> when none holds the data.</returns>
    public static string? FindDirectory(string? explicitDir = null)
    {
        foreach (string? dir in (ReadOnlySpan<string?>)[explicitDir, Environment.GetEnvironmentVariable(EnvironmentVariable), SystemDirectory])
        {
            if (!string.IsNullOrEmpty(dir) && MnistFormat.Contains(dir))
                return dir;
        }
        return null;
    }

    /// <summary>
    /// Loads the training and test sets, pixels scaled to [0, 1]. With <paramref name="dir"/> given, loads from
    /// that folder only; otherwise searches like <see cref="FindDirectory"/>.
    /// </summary>
    /// <param name="dir">Folder with the IDX files, or <see langword="null"/> to search.</param>
    /// <exception cref="DirectoryNotFoundException">No folder holds the data; the message says how to get it.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static (Dataset Train, Dataset Test) Load(string? dir = null)
    {
        string found = dir is null ? FindDirectory() ?? throw NotFound() : CheckExplicit(dir);
        return MnistFormat.Load(found, Classes);
    }

    private static string CheckExplicit(string dir)
    {
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Fashion-MNIST folder not found: {dir}." + Environment.NewLine + HowToGetData);
        var missing = MnistFormat.MissingFiles(dir);
        if (missing.Count > 0)
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST folder {dir} lacks {string.Join(", ", missing)} (raw or .gz)." + Environment.NewLine + HowToGetData);
        return dir;
    }

    private static DirectoryNotFoundException NotFound()
    {
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        string envState = string.IsNullOrEmpty(env) ? "not set" : $"{env}, which lacks the files";
        return new DirectoryNotFoundException(
            $"Fashion-MNIST data not found (looked in {EnvironmentVariable}: {envState}; {SystemDirectory}: " +
            $"{(Directory.Exists(SystemDirectory) ? "lacks the files" : "does not exist")})." + Environment.NewLine + HowToGetData);
    }
}
