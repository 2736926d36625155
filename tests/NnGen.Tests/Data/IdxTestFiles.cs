using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NnGen.Tests.Data;

/// <summary>Builds small IDX files in a private temporary folder, deleted on dispose.</summary>
public sealed class IdxTestFiles : IDisposable
{
    public IdxTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "nngen-idx-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>IDX bytes: the 4 magic bytes, each dimension as big-endian int32, then <paramref name="data"/>.</summary>
    public static byte[] Build(int magic, int[] dims, ReadOnlySpan<byte> data)
    {
        byte[] bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes.AsSpan(4 + 4 * dims.Length));
        return bytes;
    }

    public static byte[] Images(int count, int rows, int cols, ReadOnlySpan<byte> pixels) =>
        Build(0x00000803, [count, rows, cols], pixels);

    public static byte[] Labels(ReadOnlySpan<byte> labels) =>
        Build(0x00000801, [labels.Length], labels);

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(raw);
        return output.ToArray();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Pixel values 0, 1, 2, ... wrapping at 256.</summary>
    public static byte[] Ramp(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
            data[i] = (byte)i;
        return data;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
