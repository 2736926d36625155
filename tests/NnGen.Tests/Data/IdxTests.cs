using System;
using System.IO;
using System.IO.Compression;
using NnGen.Data;

namespace NnGen.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly IdxTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_RoundTripsDimensionsAndData(bool gzip)
    {
        byte[] data = IdxTestFiles.Ramp(2 * 3 * 4);
        byte[] bytes = IdxTestFiles.Build(0x00000803, [2, 3, 4], data);
        string path = _files.Write("array", gzip ? IdxTestFiles.Gzip(bytes) : bytes);

        IdxArray array = Idx.Read(path);

        Assert.Equal([2, 3, 4], array.Dimensions);
        Assert.Equal(data, array.Data);
        Assert.Equal(2, array.Count);
        Assert.Equal(12, array.ItemSize);
    }

    [Fact]
    public void Read_DetectsGzipByContentNotByName()
    {
        byte[] bytes = IdxTestFiles.Labels([1, 2, 3]);
        string gzippedWithoutGz = _files.Write("labels-idx1-ubyte", IdxTestFiles.Gzip(bytes));
        string rawWithGz = _files.Write("labels-idx1-ubyte.gz", bytes);

        Assert.Equal([1, 2, 3], Idx.ReadLabels(gzippedWithoutGz));
        Assert.Equal([1, 2, 3], Idx.ReadLabels(rawWithGz));
    }

    [Fact]
    public void Read_FromStream_LeavesStreamOpen()
    {
        using var stream = new MemoryStream(IdxTestFiles.Gzip(IdxTestFiles.Build(0x00000801, [3], [7, 8, 9])));

        IdxArray array = Idx.Read(stream, "in-memory");

        Assert.Equal([3], array.Dimensions);
        Assert.Equal([7, 8, 9], array.Data);
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void Read_FromNonSeekableGzipStream()
    {
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.Labels([4, 5, 6]));
        // Decompressing a doubly-gzipped buffer yields the gzip bytes through a stream that cannot seek.
        using var nonSeekable = new GZipStream(new MemoryStream(IdxTestFiles.Gzip(gzip)), CompressionMode.Decompress);
        Assert.False(nonSeekable.CanSeek);

        Assert.Equal([4, 5, 6], Idx.ReadLabels(nonSeekable, "piped"));
    }

    [Fact]
    public void ReadImages_NormalisesToUnitRange()
    {
        string path = _files.Write("images", IdxTestFiles.Images(1, 2, 2, [0, 255, 51, 102]));

        float[] pixels = Idx.ReadImages(path, out int count, out int rows, out int cols);

        Assert.Equal((1, 2, 2), (count, rows, cols));
        Assert.Equal([0f, 1f, 0.2f, 0.4f], pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_ReadsRowMajorAcrossChunkBoundaries(bool gzip)
    {
        const int count = 3, rows = 150, cols = 170; // 76,500 pixels: more than one 64 KiB read chunk
        byte[] data = IdxTestFiles.Ramp(count * rows * cols);
        byte[] bytes = IdxTestFiles.Images(count, rows, cols, data);
        string path = _files.Write("images", gzip ? IdxTestFiles.Gzip(bytes) : bytes);

        float[] pixels = Idx.ReadImages(path, out int n, out int r, out int c);

        Assert.Equal((count, rows, cols), (n, r, c));
        Assert.Equal(data.Length, pixels.Length);
        for (int i = 0; i < data.Length; i++)
        {
            if (pixels[i] != data[i] / 255f)
                Assert.Fail($"pixel {i}: expected {data[i] / 255f}, found {pixels[i]}");
        }
    }

    [Fact]
    public void ReadLabels_ReturnsLabels()
    {
        string path = _files.Write("labels", IdxTestFiles.Labels([0, 9, 4]));

        Assert.Equal([0, 9, 4], Idx.ReadLabels(path));
    }

    [Fact]
    public void ReadImages_WrongMagic_NamesFileAndBothMagicNumbers()
    {
        string path = _files.Write("not-images", IdxTestFiles.Labels([1, 2]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected 0x00000803", e.Message);
        Assert.Contains("found 0x00000801", e.Message);
    }

    [Fact]
    public void ReadLabels_WrongMagic_NamesFileAndBothMagicNumbers()
    {
        string path = _files.Write("not-labels", IdxTestFiles.Images(1, 1, 1, [5]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected 0x00000801", e.Message);
        Assert.Contains("found 0x00000803", e.Message);
    }

    [Fact]
    public void Read_NotIdx_PrintsFoundMagicInHex()
    {
        string path = _files.Write("picture.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("0x89504E47", e.Message);
    }

    [Fact]
    public void Read_UnsupportedType_NamesTheTypeByte()
    {
        string path = _files.Write("floats", IdxTestFiles.Build(0x00000D01, [1], [0, 0, 0, 0]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("0x0D", e.Message);
        Assert.Contains("float32", e.Message);
        Assert.Contains("0x08", e.Message);
    }

    [Fact]
    public void Read_TruncatedMagic_SaysHowManyBytesWereFound()
    {
        string path = _files.Write("stub", [0x00, 0x00]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated header", e.Message);
        Assert.Contains("expected at least 4 bytes", e.Message);
        Assert.Contains("found 2", e.Message);
    }

    [Fact]
    public void Read_TruncatedDimensions_SaysExpectedAndFoundHeaderBytes()
    {
        // Declares 3 dimensions (needs 4 + 12 = 16 header bytes) but holds only one size.
        string path = _files.Write("short-header", [0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated header", e.Message);
        Assert.Contains("expected 16 bytes", e.Message);
        Assert.Contains("found 8", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_TruncatedData_SaysExpectedAndFoundDataBytes(bool gzip)
    {
        byte[] full = IdxTestFiles.Images(2, 2, 2, IdxTestFiles.Ramp(8));
        byte[] cut = full.AsSpan(0, full.Length - 3).ToArray(); // 5 of 8 data bytes
        string path = _files.Write("cut-images", gzip ? IdxTestFiles.Gzip(cut) : cut);

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated data", e.Message);
        Assert.Contains("expected 8 bytes of data", e.Message);
        Assert.Contains("2x2x2", e.Message);
        Assert.Contains("found 5", e.Message);
    }

    [Fact]
    public void ReadLabels_TruncatedData_SaysExpectedAndFoundDataBytes()
    {
        byte[] bytes = IdxTestFiles.Build(0x00000801, [10], [1, 2, 3]);
        string path = _files.Write("cut-labels", bytes);

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected 10 bytes of data", e.Message);
        Assert.Contains("found 3", e.Message);
    }

    [Fact]
    public void Read_TrailingBytes_AreRejected()
    {
        byte[] bytes = IdxTestFiles.Build(0x00000801, [2], [1, 2, 3]);
        string path = _files.Write("long-labels", bytes);

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("trailing", e.Message);
        Assert.Contains("2 bytes of data", e.Message);
    }

    [Fact]
    public void Read_CorruptGzip_NamesFile()
    {
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.Labels(IdxTestFiles.Ramp(100)));
        for (int i = 10; i < gzip.Length - 8; i++)
            gzip[i] ^= 0x5A;
        string path = _files.Write("corrupt.gz", gzip);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("corrupt gzip data", e.Message);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void ReadLabels_OutOfRange_NamesValueIndexAndClassCount()
    {
        string path = _files.Write("labels", IdxTestFiles.Labels([0, 3, 12, 1]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path, classes: 10));

        Assert.Contains(path, e.Message);
        Assert.Contains("label 12", e.Message);
        Assert.Contains("index 2", e.Message);
        Assert.Contains("10 classes", e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundWithPath()
    {
        string path = Path.Combine(_files.Directory, "nope-idx3-ubyte");

        var e = Assert.Throws<FileNotFoundException>(() => Idx.Read(path));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_Directory_SaysItIsADirectory()
    {
        string path = Path.Combine(_files.Directory, "train-images-idx3-ubyte");
        Directory.CreateDirectory(path);

        var e = Assert.Throws<FileNotFoundException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Equal($"IDX path is a directory, not a file: {path}", e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void Read_MissingFile_SaysNotFound()
    {
        string path = Path.Combine(_files.Directory, "nope-idx1-ubyte");

        var e = Assert.Throws<FileNotFoundException>(() => Idx.ReadLabels(path));

        Assert.Equal($"IDX file not found: {path}", e.Message);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        using var labels = new MemoryStream(IdxTestFiles.Labels([1]));
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => Idx.ReadLabels(labels, "in-memory", classes: 0)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => Idx.ReadLabels(labels, "in-memory", classes: 257)).ParamName);
        Assert.Equal([1], Idx.ReadLabels(new MemoryStream(IdxTestFiles.Labels([1])), "in-memory", classes: 2));
        Assert.Equal([255], Idx.ReadLabels(new MemoryStream(IdxTestFiles.Labels([255])), "in-memory", classes: 256));
        Assert.IsType<ArgumentException>(Record.Exception(() => Idx.Read("")));
        Assert.IsType<ArgumentNullException>(Record.Exception(() => Idx.Read((string)null!)));
        Assert.IsType<ArgumentNullException>(Record.Exception(() => Idx.Read(null!, "in-memory")));
        Assert.IsType<ArgumentNullException>(Record.Exception(() => Idx.Read(new MemoryStream(IdxTestFiles.Labels([1])), null!)));
    }

    [Fact]
    public void Read_FromAStreamPositionedPastOtherData_ReadsFromThatPosition()
    {
        byte[] idx = IdxTestFiles.Labels([4, 5]);
        using var stream = new MemoryStream([.. new byte[10], .. idx]);
        stream.Position = 10;

        Assert.Equal([4, 5], Idx.Read(stream, "container").Data);
    }

    [Theory]
    [InlineData(new byte[0], 0)]
    [InlineData(new byte[] { 0x00 }, 1)]
    [InlineData(new byte[] { 0x00, 0x00, 0x08 }, 3)]
    public void Read_TinyFile_SaysHowManyBytesItHas(byte[] bytes, int found)
    {
        Assert.Equal($"truncated header: expected at least 4 bytes (the magic number), found {found}", Message(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x8B, 0x08, 0x01, 0, 0, 0, 0 }, "0x008B0801")]
    [InlineData(new byte[] { 0x1F, 0x00, 0x08, 0x01, 0, 0, 0, 0 }, "0x1F000801")]
    public void Read_HalfAGzipSignature_IsReadAsRawData(byte[] bytes, string magic)
    {
        Assert.Equal($"not an IDX file: expected a magic number starting with two zero bytes (0x0000TTDD), found {magic}", Message(bytes));
    }

    [Fact]
    public void Read_DimensionsAtTheArrayLimit_AreAccepted()
    {
        // An item may hold exactly Array.MaxLength elements; with a zero count the file holds no data.
        IdxArray empty = Idx.Read(new MemoryStream(IdxTestFiles.Build(0x00000802, [0, Array.MaxLength], [])), "limit");
        Assert.Equal([0, Array.MaxLength], empty.Dimensions);
        Assert.Empty(empty.Data);
        // One such item passes the header check and is then found missing.
        Assert.Equal($"truncated data: expected {Array.MaxLength} bytes of data (dimensions 1x{Array.MaxLength}), found 0",
            Message(IdxTestFiles.Build(0x00000802, [1, Array.MaxLength], [])));
    }

    [Fact]
    public void ReadImages_NotIdxAtAll_DescribesBothMagicNumbers()
    {
        string path = _files.Write("picture.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Equal($"{path}: wrong magic number: expected 0x00000803 (unsigned byte, 3 dimensions), found 0x89504E47 (not an IDX magic number)", e.Message);
    }

    [Fact]
    public void ReadLabels_ImagesFile_DescribesOneDimensionInTheSingular()
    {
        string path = _files.Write("images", IdxTestFiles.Images(1, 1, 1, [5]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));

        Assert.Equal($"{path}: wrong magic number: expected 0x00000801 (unsigned byte, 1 dimension), found 0x00000803 (unsigned byte, 3 dimensions)", e.Message);
    }

    [Theory]
    [InlineData(0x09, "signed byte")]
    [InlineData(0x0B, "int16")]
    [InlineData(0x0C, "int32")]
    [InlineData(0x0D, "float32")]
    [InlineData(0x0E, "float64")]
    [InlineData(0x07, "unknown type")]
    public void Read_UnsupportedType_NamesIt(int type, string name)
    {
        Assert.Equal($"unsupported element type 0x{type:X2} ({name}): only 0x08 (unsigned byte) is supported",
            Message(IdxTestFiles.Build((type << 8) | 1, [1], [0])));
    }

    private string Message(byte[] bytes, bool gzip = false, string name = "bad")
    {
        string path = _files.Write(name, gzip ? IdxTestFiles.Gzip(bytes) : bytes);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        return e.Message[(path.Length + 2)..];
    }

    [Fact]
    public void ReadImages_WrongRank_NamesBothRanks()
    {
        string path = _files.Write("rank2", IdxTestFiles.Build(0x00000802, [1, 1], [0]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Equal($"{path}: wrong magic number: expected 0x00000803 (unsigned byte, 3 dimensions), found 0x00000802 (unsigned byte, 2 dimensions)", e.Message);
    }

    [Fact]
    public void Read_ZeroRankAndNegativeSizes_AreRejected()
    {
        Assert.Equal("the header declares 0 dimensions; expected at least 1", Message(IdxTestFiles.Build(0x00000800, [], [])));
        Assert.Equal("dimension 1 has negative size -3", Message(IdxTestFiles.Build(0x00000802, [1, -3], [])));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_OverflowingDimensions_AreRejectedByName(bool gzip)
    {
        Assert.Equal("dimensions 0x2147483647x2147483647: one item (2147483647x2147483647, dimensions 1 to 2) holds 4611686014132420609 elements, more than the 2147483591 a .NET array can",
            Message(IdxTestFiles.Build(0x00000803, [0, int.MaxValue, int.MaxValue], []), gzip));
        Assert.Equal("dimensions 1x65537x65537: one item (65537x65537, dimensions 1 to 2) holds 4295098369 elements, more than the 2147483591 a .NET array can",
            Message(IdxTestFiles.Build(0x00000803, [1, 65537, 65537], []), gzip));
        Assert.Equal("dimensions 65536x32768 hold 2147483648 elements, more than the 2147483591 a .NET array can",
            Message(IdxTestFiles.Build(0x00000802, [65536, 32768], []), gzip));
    }

    [Theory]
    [InlineData(0, 28)]
    [InlineData(28, 0)]
    public void ReadImages_ImagesWithoutPixels_AreRejected(int rows, int cols)
    {
        string path = _files.Write("empty-images", IdxTestFiles.Images(5, rows, cols, []));

        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));

        Assert.Equal($"{path}: images of {rows}x{cols} pixels (dimensions 5x{rows}x{cols}): rows and columns must be at least 1", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TrailingBytes_AreRejectedRawAndGzip(bool gzip)
    {
        string message = Message(IdxTestFiles.Build(0x00000801, [2], [1, 2, 3, 4, 5]), gzip);

        // A raw file's length is known, so the surplus is counted before any data is read.
        Assert.Equal($"unexpected {(gzip ? "" : "3 ")}trailing bytes after the 2 bytes of data that dimensions 2 call for (trailing data is rejected)", message);
    }

    [Fact]
    public void Read_TruncatedRawNonSeekableStream_SaysExpectedAndFound()
    {
        byte[] bytes = IdxTestFiles.Build(0x00000801, [200_000], IdxTestFiles.Ramp(150_000));
        using var pipe = new NonSeekable(bytes);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(pipe, "pipe"));

        Assert.Equal("pipe: truncated data: expected 200000 bytes of data (dimensions 200000), found 150000", e.Message);
    }

    [Fact]
    public void Read_LargeNonSeekableStream_GrowsToTheFullData()
    {
        byte[] data = IdxTestFiles.Ramp(300_001); // several doublings of the 64 KiB start
        using var pipe = new NonSeekable(IdxTestFiles.Build(0x00000801, [data.Length], data));

        Assert.Equal(data, Idx.Read(pipe, "pipe").Data);
    }

    /// <summary>A 16-byte file (or its gzip) that claims 1 x 46340 x 46340 images must cost little memory, not 8 GiB.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_HugeHeaderOnTinyFile_AllocatesLittle(bool gzip)
    {
        byte[] header = IdxTestFiles.Images(1, 46340, 46340, IdxTestFiles.Ramp(gzip ? 1000 : 0));
        string path = _files.Write("huge", gzip ? IdxTestFiles.Gzip(header) : header);
        Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _)); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path, out _, out _, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"{path}: truncated data: expected 2147395600 bytes of data (dimensions 1x46340x46340), found {(gzip ? 1000 : 0)}", e.Message);
        Assert.True(allocated < 1 << 20, $"reading a {new FileInfo(path).Length}-byte file allocated {allocated} bytes");
    }

    /// <summary>A readable stream that cannot seek, so its length is unknown to the reader.</summary>
    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
