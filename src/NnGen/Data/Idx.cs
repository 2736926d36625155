using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Numerics;

namespace NnGen.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number (two zero bytes,
/// an element-type byte, a dimension-count byte), one big-endian <c>int32</c> size per dimension, then the
/// elements in row-major order. Files may be raw or gzip-compressed; gzip is detected by its
/// <c>1f 8b</c> signature, not by the file name. Only unsigned-byte elements (type <c>0x08</c>) are supported.
/// </summary>
/// <remarks>
/// Errors in the data are reported as <see cref="InvalidDataException"/> whose message starts with the file
/// name and gives the expected and found values. Bytes after the data are rejected, not ignored, so a
/// wrong or concatenated file is noticed.
/// </remarks>
public static class Idx
{
    /// <summary>Magic number of an unsigned-byte, 3-dimensional IDX file (images: count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;
    private const int ChunkSize = 1 << 16;

    /// <summary>Reads an unsigned-byte IDX file of any rank.</summary>
    /// <param name="path">Path of a raw or gzip-compressed IDX file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxArray Read(string path)
    {
        using Stream file = OpenFile(path);
        return Read(file, path);
    }

    /// <summary>Reads an unsigned-byte IDX array of any rank from a stream, which is left open.</summary>
    /// <param name="stream">Raw or gzip-compressed IDX data; need not be seekable.</param>
    /// <param name="sourceName">Name used in error messages, normally the file path.</param>
    /// <exception cref="InvalidDataException">The data is not a well-formed unsigned-byte IDX array.</exception>
    public static IdxArray Read(Stream stream, string sourceName) =>
        ReadCore(stream, sourceName, expectedMagic: null, static (input, dims, source, available) =>
            new IdxArray(dims, ReadElements(input, dims, source, available, CopyBytes)));

    /// <summary>
    /// Reads an images file (magic <c>0x00000803</c>) into one flat array of <c>count * rows * cols</c> floats,
    /// row-major, each pixel divided by 255 so values lie in [0, 1].
    /// </summary>
    /// <param name="path">Path of a raw or gzip-compressed IDX images file.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Rows per image.</param>
    /// <param name="cols">Columns per image.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed images file.</exception>
    public static float[] ReadImages(string path, out int count, out int rows, out int cols)
    {
        using Stream file = OpenFile(path);
        return ReadImages(file, path, out count, out rows, out cols);
    }

    /// <summary>Reads an images IDX array from a stream, which is left open. See <see cref="ReadImages(string, out int, out int, out int)"/>.</summary>
    /// <param name="stream">Raw or gzip-compressed IDX data; need not be seekable.</param>
    /// <param name="sourceName">Name used in error messages, normally the file path.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Rows per image.</param>
    /// <param name="cols">Columns per image.</param>
    /// <exception cref="InvalidDataException">The data is not a well-formed images array.</exception>
    public static float[] ReadImages(Stream stream, string sourceName, out int count, out int rows, out int cols)
    {
        (float[] pixels, int[] dims) = ReadCore(stream, sourceName, ImagesMagic, static (input, dims, source, available) =>
            (ReadElements(input, dims, source, available, static (ReadOnlySpan<byte> bytes, Span<float> target) =>
            {
                for (int i = 0; i < bytes.Length; i++)
                    target[i] = bytes[i] / 255f;
            }), dims));
        (count, rows, cols) = (dims[0], dims[1], dims[2]);
        return pixels;
    }

    /// <summary>Reads a labels file (magic <c>0x00000801</c>) and checks every label is below <paramref name="classes"/>.</summary>
    /// <param name="path">Path of a raw or gzip-compressed IDX labels file.</param>
    /// <param name="classes">Number of classes; labels must be in <c>[0, classes)</c>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed labels file, or a label is out of range.</exception>
    public static byte[] ReadLabels(string path, int classes = 10)
    {
        using Stream file = OpenFile(path);
        return ReadLabels(file, path, classes);
    }

    /// <summary>Reads a labels IDX array from a stream, which is left open. See <see cref="ReadLabels(string, int)"/>.</summary>
    /// <param name="stream">Raw or gzip-compressed IDX data; need not be seekable.</param>
    /// <param name="sourceName">Name used in error messages, normally the file path.</param>
    /// <param name="classes">Number of classes; labels must be in <c>[0, classes)</c>.</param>
    /// <exception cref="InvalidDataException">The data is not a well-formed labels array, or a label is out of range.</exception>
    public static byte[] ReadLabels(Stream stream, string sourceName, int classes = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, 256);
        byte[] labels = ReadCore(stream, sourceName, LabelsMagic, static (input, dims, source, available) =>
            ReadElements(input, dims, source, available, CopyBytes));
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
                throw Error(sourceName,
                    $"label {labels[i]} at index {i} is out of range for {classes} classes (expected 0 to {classes - 1})");
        }
        return labels;
    }

    private static Stream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"IDX path is a directory, not a file: {path}", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: ChunkSize);
    }

    /// <summary>Turns a run of data bytes into elements of the result.</summary>
    private delegate void Converter<T>(ReadOnlySpan<byte> bytes, Span<T> target);

    /// <summary>Reads the element data; <c>available</c> is how many data bytes the input holds, when that is known.</summary>
    private delegate T DataReader<T>(Stream input, int[] dims, string source, long? available);

    private static readonly Converter<byte> CopyBytes = static (bytes, target) => bytes.CopyTo(target);

    /// <summary>
    /// Opens the (possibly gzip-compressed) data, reads and checks the header, lets <paramref name="readData"/> read the
    /// elements, then rejects trailing bytes.
    /// </summary>
    private static T ReadCore<T>(Stream stream, string source, int? expectedMagic, DataReader<T> readData)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        // A raw seekable stream tells how many bytes follow, so a header can be checked against it before allocating.
        long? remaining = stream.CanSeek ? stream.Length - stream.Position : null;
        using Stream input = OpenDecompressed(stream, source, out bool gzip);
        int[] dims = ReadHeader(input, source, expectedMagic);
        if (expectedMagic == ImagesMagic && (dims[1] == 0 || dims[2] == 0))
            throw Error(source, $"images of {dims[1]}x{dims[2]} pixels (dimensions {Shape(dims)}): rows and columns must be at least 1");
        long? available = gzip ? null : remaining - 4 - 4 * dims.Length;
        if (available > ElementCount(dims))
            throw Trailing(source, dims, $"{available - ElementCount(dims)} ");
        T result = readData(input, dims, source, available);
        if (ReadUpTo(input, stackalloc byte[1], source) > 0)
            throw Trailing(source, dims, "");
        return result;
    }

    /// <summary>
    /// Reads the elements, converting each chunk of bytes as it arrives. Never allocates more than the data can fill:
    /// when the data length is known a short input is rejected up front; otherwise (gzip, pipes) the result starts
    /// small and doubles as data arrives, so a header that overstates the size costs at most twice what the data holds.
    /// </summary>
    private static T[] ReadElements<T>(Stream input, int[] dims, string source, long? available, Converter<T> convert)
    {
        int total = ElementCount(dims);
        if (available < total)
            throw Truncated(source, dims, available.Value);
        T[] result = new T[available is null ? Math.Min(total, ChunkSize) : total];
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int done = 0;
            while (done < total)
            {
                if (done == result.Length)
                    Array.Resize(ref result, (int)Math.Min(total, 2L * done));
                int wanted = Math.Min(ChunkSize, result.Length - done);
                int got = ReadUpTo(input, chunk.AsSpan(0, wanted), source);
                convert(chunk.AsSpan(0, got), result.AsSpan(done, got));
                done += got;
                if (got < wanted)
                    throw Truncated(source, dims, done);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return result;
    }

    /// <summary>Returns a stream over the IDX bytes: a decompressing one when the data starts with the gzip signature. Never disposes <paramref name="stream"/>.</summary>
    private static Stream OpenDecompressed(Stream stream, string source, out bool gzip)
    {
        byte[] signature = new byte[2];
        int got = ReadUpTo(stream, signature, source);
        var replayed = new PrefixedStream(signature[..got], stream);
        gzip = got == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
        return gzip ? new GZipStream(replayed, CompressionMode.Decompress) : replayed;
    }

    private static int[] ReadHeader(Stream input, string source, int? expectedMagic)
    {
        Span<byte> magicBytes = stackalloc byte[4];
        int got = ReadUpTo(input, magicBytes, source);
        if (got < 4)
            throw Error(source, $"truncated header: expected at least 4 bytes (the magic number), found {got}");

        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if (expectedMagic is int expected && magic != expected)
            throw Error(source,
                $"wrong magic number: expected 0x{expected:X8} ({DescribeMagic(expected)}), found 0x{magic:X8} ({DescribeMagic(magic)})");
        if (magicBytes[0] != 0 || magicBytes[1] != 0)
            throw Error(source,
                $"not an IDX file: expected a magic number starting with two zero bytes (0x0000TTDD), found 0x{magic:X8}");
        if (magicBytes[2] != UnsignedByteType)
            throw Error(source,
                $"unsupported element type 0x{magicBytes[2]:X2} ({TypeName(magicBytes[2])}): only 0x08 (unsigned byte) is supported");
        int rank = magicBytes[3];
        if (rank == 0)
            throw Error(source, "the header declares 0 dimensions; expected at least 1");

        byte[] sizeBytes = new byte[4 * rank];
        got = ReadUpTo(input, sizeBytes, source);
        if (got < sizeBytes.Length)
            throw Error(source,
                $"truncated header: expected {4 + sizeBytes.Length} bytes (magic number and {rank} dimension sizes), found {4 + got}");

        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(sizeBytes.AsSpan(4 * i));
            if (dims[i] < 0)
                throw Error(source, $"dimension {i} has negative size {dims[i]}");
        }
        // One item is checked on its own: with a zero count the total is 0 however large the items are.
        BigInteger item = Product(dims.AsSpan(1)), elements = dims[0] * item;
        if (item > Array.MaxLength)
            throw Error(source,
                $"dimensions {Shape(dims)}: one item ({Shape(dims[1..])}, dimensions 1 to {rank - 1}) holds {item} elements, more than the {Array.MaxLength} a .NET array can");
        if (elements > Array.MaxLength)
            throw Error(source,
                $"dimensions {Shape(dims)} hold {elements} elements, more than the {Array.MaxLength} a .NET array can");
        return dims;
    }

    /// <summary>Fills <paramref name="buffer"/> unless the data ends first; returns the bytes read. Names the source in decompression errors.</summary>
    private static int ReadUpTo(Stream input, Span<byte> buffer, string source)
    {
        try
        {
            return input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: corrupt gzip data: {e.Message}", e);
        }
    }

    private static InvalidDataException Error(string source, string detail) => new($"{source}: {detail}");

    private static InvalidDataException Trailing(string source, int[] dims, string count) =>
        Error(source,
            $"unexpected {count}trailing bytes after the {ElementCount(dims)} bytes of data that dimensions {Shape(dims)} call for (trailing data is rejected)");

    private static InvalidDataException Truncated(string source, int[] dims, long found) =>
        Error(source, $"truncated data: expected {ElementCount(dims)} bytes of data (dimensions {Shape(dims)}), found {found}");

    /// <summary>Product of the dimensions; the header check guarantees it fits an array.</summary>
    private static int ElementCount(int[] dims) => (int)Product(dims);

    private static BigInteger Product(ReadOnlySpan<int> dims)
    {
        BigInteger product = BigInteger.One;
        foreach (int d in dims)
            product *= d;
        return product;
    }

    private static string Shape(int[] dims) => string.Join('x', dims);

    private static string DescribeMagic(int magic)
    {
        if ((magic & unchecked((int)0xFFFF0000)) != 0)
            return "not an IDX magic number";
        int rank = magic & 0xFF;
        return $"{TypeName((byte)(magic >> 8))}, {rank} dimension{(rank == 1 ? "" : "s")}";
    }

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown type",
    };
}
