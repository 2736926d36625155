using System;
using System.Collections.Generic;
using System.IO;

namespace NnGen.Data;

/// <summary>
/// Loads datasets laid out like MNIST: a folder with four IDX files (raw or gzip-compressed) for the
/// training and test images and labels. MNIST, Fashion-MNIST and KMNIST all use this layout.
/// </summary>
public static class MnistFormat
{
    /// <summary>Base name of the training images file.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>Base name of the training labels file.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>Base name of the test images file.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>Base name of the test labels file.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four base names, in the order training images, training labels, test images, test labels.</summary>
    public static string[] FileNames => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// Finds the file for <paramref name="baseName"/> in <paramref name="directory"/>: the exact name, the name
    /// with <c>.gz</c>, or either with the <c>-idx</c> written <c>.idx</c> (as some MNIST mirrors spell it).
    /// </summary>
    /// <param name="directory">Folder to look in.</param>
    /// <param name="baseName">One of <see cref="FileNames"/>.</param>
    /// <returns>The path of the first match, or <see langword="null"/>.</returns>
    public static string? FindFile(string directory, string baseName)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(baseName);
        foreach (string name in Candidates(baseName))
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
                return path;
        }
        return null;
    }

    /// <summary>Whether <paramref name="directory"/> exists and holds all four files.</summary>
    /// <param name="directory">Folder to check.</param>
    public static bool Contains(string directory) => MissingFiles(directory).Count == 0;

    /// <summary>The base names of the files that <paramref name="directory"/> lacks (all four if it does not exist).</summary>
    /// <param name="directory">Folder to check.</param>
    public static IReadOnlyList<string> MissingFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            return FileNames;
        var missing = new List<string>();
        foreach (string name in FileNames)
        {
            if (FindFile(directory, name) is null)
                missing.Add(name);
        }
        return missing;
    }

    /// <summary>Loads the training and test sets from <paramref name="directory"/>, pixels scaled to [0, 1].</summary>
    /// <param name="directory">Folder with the four IDX files.</param>
    /// <param name="classes">Number of classes; every label must be below it.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the names looked for.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or images and labels disagree in count.</exception>
    public static (Dataset Train, Dataset Test) Load(string directory, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Dataset folder not found: {directory}");
        Dataset train = LoadPair(Require(directory, TrainImages), Require(directory, TrainLabels), classes);
        Dataset test = LoadPair(Require(directory, TestImages), Require(directory, TestLabels), classes);
        return (train, test);
    }

    /// <summary>Loads one images file and its labels file as a dataset of flattened images, pixels scaled to [0, 1].</summary>
    /// <param name="imagesPath">IDX images file (magic <c>0x00000803</c>).</param>
    /// <param name="labelsPath">IDX labels file (magic <c>0x00000801</c>).</param>
    /// <param name="classes">Number of classes; every label must be below it.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, holds no images, or the two files disagree in count.</exception>
    public static Dataset LoadPair(string imagesPath, string labelsPath, int classes = 10)
    {
        float[] pixels = Idx.ReadImages(imagesPath, out int count, out int rows, out int cols);
        if (count == 0)
            throw new InvalidDataException($"{imagesPath}: the header declares 0 images ({count}x{rows}x{cols}); a dataset needs at least one");
        byte[] labels = Idx.ReadLabels(labelsPath, classes);
        if (labels.Length != count)
            throw new InvalidDataException(
                $"{labelsPath}: count mismatch: {labels.Length} labels here, but {count} images in {imagesPath}");
        return new Dataset(pixels, labels, rows * cols, classes);
    }

    private static string Require(string directory, string baseName) =>
        FindFile(directory, baseName) ?? throw new FileNotFoundException(
            $"Missing {baseName} in {directory} (looked for {string.Join(", ", Candidates(baseName))}).",
            Path.Combine(directory, baseName));

    private static string[] Candidates(string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        return [baseName, baseName + ".gz", dotted, dotted + ".gz"];
    }
}
