using System;
using System.IO;
using NnGen.Data;

namespace NnGen.Tests.Data;

public sealed class MnistFormatTests : IDisposable
{
    private readonly IdxTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Writes a tiny 2x2-pixel dataset: 3 training and 2 test samples, some files gzipped, one with the dotted name.</summary>
    private void WriteTinyDataset()
    {
        _files.Write("train-images-idx3-ubyte.gz", IdxTestFiles.Gzip(IdxTestFiles.Images(3, 2, 2, IdxTestFiles.Ramp(12))));
        _files.Write("train-labels-idx1-ubyte.gz", IdxTestFiles.Gzip(IdxTestFiles.Labels([0, 9, 5])));
        _files.Write("t10k-images-idx3-ubyte", IdxTestFiles.Images(2, 2, 2, [0, 255, 51, 0, 0, 0, 0, 0]));
        _files.Write("t10k-labels.idx1-ubyte", IdxTestFiles.Labels([1, 2]));
    }

    [Fact]
    public void Load_ReadsTrainAndTestSets()
    {
        WriteTinyDataset();

        var (train, test) = MnistFormat.Load(_files.Directory);

        Assert.Equal(3, train.Count);
        Assert.Equal(4, train.FeatureSize);
        Assert.Equal(10, train.Classes);
        Assert.Equal([0, 9, 5], train.Labels);
        Assert.Equal(11 / 255f, train.Features[11]);
        Assert.Equal(2, test.Count);
        Assert.Equal([0f, 1f, 0.2f, 0f], test.GetFeatures(0).ToArray());
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        WriteTinyDataset();
        File.Delete(Path.Combine(_files.Directory, "t10k-labels.idx1-ubyte"));

        var e = Assert.Throws<FileNotFoundException>(() => MnistFormat.Load(_files.Directory));

        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains(_files.Directory, e.Message);
        Assert.Equal(["t10k-labels-idx1-ubyte"], MnistFormat.MissingFiles(_files.Directory));
    }

    [Fact]
    public void Load_MissingFile_ListsEverySpellingLookedFor()
    {
        WriteTinyDataset();
        File.Delete(Path.Combine(_files.Directory, "train-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<FileNotFoundException>(() => MnistFormat.Load(_files.Directory));

        Assert.Equal($"Missing train-labels-idx1-ubyte in {_files.Directory} (looked for train-labels-idx1-ubyte, train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz).", e.Message);
        Assert.Equal(Path.Combine(_files.Directory, "train-labels-idx1-ubyte"), e.FileName);
    }

    [Fact]
    public void Load_MissingFolder_NamesIt()
    {
        string missing = Path.Combine(_files.Directory, "no-such-folder");

        var e = Assert.Throws<DirectoryNotFoundException>(() => MnistFormat.Load(missing));

        Assert.Equal($"Dataset folder not found: {missing}", e.Message);
        Assert.Equal(MnistFormat.FileNames, MnistFormat.MissingFiles(missing));
        Assert.False(MnistFormat.Contains(missing));
    }

    [Theory]
    [InlineData("t10k-labels-idx1-ubyte")]
    [InlineData("t10k-labels-idx1-ubyte.gz")]
    [InlineData("t10k-labels.idx1-ubyte")]
    [InlineData("t10k-labels.idx1-ubyte.gz")]
    public void FindFile_AcceptsEachMirrorSpelling(string fileName)
    {
        string path = _files.Write(fileName, IdxTestFiles.Labels([3]));

        Assert.Equal(path, MnistFormat.FindFile(_files.Directory, MnistFormat.TestLabels));
        Assert.Null(MnistFormat.FindFile(_files.Directory, MnistFormat.TrainLabels));
    }

    [Fact]
    public void FindFile_PrefersTheExactName_AndIgnoresADirectoryOfThatName()
    {
        string exact = _files.Write(MnistFormat.TestLabels, IdxTestFiles.Labels([3]));
        _files.Write(MnistFormat.TestLabels + ".gz", IdxTestFiles.Gzip(IdxTestFiles.Labels([4])));
        Directory.CreateDirectory(Path.Combine(_files.Directory, MnistFormat.TrainLabels));

        Assert.Equal(exact, MnistFormat.FindFile(_files.Directory, MnistFormat.TestLabels));
        Assert.Null(MnistFormat.FindFile(_files.Directory, MnistFormat.TrainLabels));
    }

    [Fact]
    public void Contains_IsTrueOnlyWithAllFourFiles()
    {
        WriteTinyDataset();
        Assert.True(MnistFormat.Contains(_files.Directory));
        Assert.Empty(MnistFormat.MissingFiles(_files.Directory));

        File.Delete(Path.Combine(_files.Directory, "t10k-images-idx3-ubyte"));
        Assert.False(MnistFormat.Contains(_files.Directory));
    }

    [Fact]
    public void NullArguments_AreRejectedByName()
    {
        Assert.Equal("directory", Assert.Throws<ArgumentNullException>(() => MnistFormat.FindFile(null!, MnistFormat.TrainImages)).ParamName);
        Assert.Equal("baseName", Assert.Throws<ArgumentNullException>(() => MnistFormat.FindFile(_files.Directory, null!)).ParamName);
        Assert.Equal("directory", Assert.Throws<ArgumentNullException>(() => MnistFormat.MissingFiles(null!)).ParamName);
        Assert.Equal("directory", Assert.Throws<ArgumentNullException>(() => MnistFormat.Load(null!)).ParamName);
    }

    [Fact]
    public void Load_PassesTheClassCountToBothSets()
    {
        WriteTinyDataset();

        var (train, test) = MnistFormat.Load(_files.Directory, classes: 12);
        Assert.Equal(12, train.Classes);
        Assert.Equal(12, test.Classes);

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.Load(_files.Directory, classes: 9));
        Assert.Contains("label 9 at index 1 is out of range for 9 classes", e.Message);
    }

    [Fact]
    public void LoadPair_CountMismatch_NamesBothFilesAndCounts()
    {
        string images = _files.Write("imgs", IdxTestFiles.Images(3, 1, 1, [1, 2, 3]));
        string labels = _files.Write("lbls", IdxTestFiles.Labels([1, 2]));

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadPair(images, labels));

        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
        Assert.Contains("2 labels", e.Message);
        Assert.Contains("3 images", e.Message);
    }

    [Fact]
    public void LoadPair_ZeroImages_IsInvalidData()
    {
        string images = _files.Write("imgs", IdxTestFiles.Images(0, 28, 28, []));
        string labels = _files.Write("lbls", IdxTestFiles.Labels([]));

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadPair(images, labels));

        Assert.Equal($"{images}: the header declares 0 images (0x28x28); a dataset needs at least one", e.Message);
    }

    [Fact]
    public void LoadPair_LabelOutOfRange_NamesLabelsFile()
    {
        string images = _files.Write("imgs", IdxTestFiles.Images(2, 1, 1, [1, 2]));
        string labels = _files.Write("lbls", IdxTestFiles.Labels([1, 7]));

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadPair(images, labels, classes: 5));

        Assert.Equal($"{labels}: label 7 at index 1 is out of range for 5 classes (expected 0 to 4)", e.Message);
    }

    [Fact]
    public void FashionMnist_FindDirectory_PrefersExplicitFolder()
    {
        WriteTinyDataset();

        Assert.Equal(_files.Directory, FashionMnist.FindDirectory(_files.Directory));
    }

    [Fact]
    public void FashionMnist_Load_FromFolderWithoutData_SaysHowToGetIt()
    {
        string empty = Path.Combine(_files.Directory, "missing");

        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load(empty));

        Assert.Contains(empty, e.Message);
        Assert.Contains("sudo apt-get install -y dataset-fashion-mnist", e.Message);
        Assert.Contains("/usr/share/datasets/fashion-mnist", e.Message);
        Assert.Contains("--data DIR", e.Message);
        Assert.Contains("NNGEN_DATA", e.Message);
        foreach (string name in MnistFormat.FileNames)
            Assert.Contains(name, e.Message);
    }

    [Fact]
    public void FashionMnist_Load_FromFolderLackingAFile_NamesIt()
    {
        WriteTinyDataset();
        File.Delete(Path.Combine(_files.Directory, "train-images-idx3-ubyte.gz"));

        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load(_files.Directory));

        Assert.Contains($"lacks {MnistFormat.TrainImages}", e.Message);
    }

    [Fact]
    public void FashionMnist_ClassNames()
    {
        Assert.Equal(10, FashionMnist.ClassNames.Length);
        Assert.Equal("T-shirt/top", FashionMnist.ClassNames[0]);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
    }
}
