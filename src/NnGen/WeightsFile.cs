using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NnGen;

/// <summary>
/// The weights file format (docs/weights-format.md). Little-endian:
/// <code>
/// "NNGW"            4 bytes  magic
/// version           u32      2 (1: the same without the layer table)
/// archLength        i32      byte length of the architecture text
/// architecture      UTF-8    INetwork.Architecture of the network that saved it
/// layerCount        i32      version 2: the layers that have weights, in order; per layer three texts (an i32 byte
///                            length, then UTF-8: name, type, weight shapes) and two i32 (parameters, non-trainable)
/// count             i32      number of parameters
/// parameters        f32 x count
/// crc32             u32      CRC-32 (IEEE) of every byte before it
/// </code>
/// Loading checks every field before it touches the network, so a bad file changes nothing.
/// </summary>
public static class WeightsFile
{
    /// <summary>The four magic bytes, "NNGW".</summary>
    public static ReadOnlySpan<byte> Magic => "NNGW"u8;

    /// <summary>The format version this library writes (with the layer table); it reads this one and version 1.</summary>
    public const uint Version = 2;

    /// <summary>The first version, without the layer table: still read, and written by the overloads that take no layers.</summary>
    public const uint Version1 = 1;

    /// <summary>
    /// Writes the file atomically: to a temporary file beside it (<c>&lt;path&gt;.tmp-&lt;process id&gt;</c>), then renamed
    /// over the target. Temporary files that earlier writes to the same path left behind because their process was killed
    /// are deleted first; those of a process that is still running are kept.
    /// </summary>
    public static void Save(string path, string architecture, ReadOnlySpan<float> parameters) => Save(path, architecture, null, parameters);

    /// <summary>
    /// Writes a version 2 file, with the layer table that loading by name reads (see <see cref="Save(string, string, ReadOnlySpan{float})"/>
    /// for how); <paramref name="parameters"/> are the trainable weights of every layer in order, then the non-trainable ones.
    /// </summary>
    public static void Save(string path, string architecture, IReadOnlyList<WeightsLayer>? layers, ReadOnlySpan<float> parameters)
    {
        string full = Path.GetFullPath(path);
        DeleteStaleTemporaryFiles(full);
        string temp = full + TemporarySuffix + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Write(stream, architecture, layers, parameters);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private const string TemporarySuffix = ".tmp-";

    /// <summary>
    /// Deletes the files <c>&lt;full&gt;.tmp-&lt;pid&gt;</c> whose process is no longer running: what a write killed before its
    /// rename leaves. Our own process's name is left alone (this write overwrites it), as is any name that does not end in a
    /// process id.
    /// </summary>
    private static void DeleteStaleTemporaryFiles(string full)
    {
        string name = Path.GetFileName(full);
        DeleteStaleTemporaryFiles(Path.GetDirectoryName(full), target => target == name);
    }

    /// <summary>
    /// Deletes the files <c>&lt;target&gt;.tmp-&lt;pid&gt;</c> in <paramref name="directory"/> whose target name
    /// <paramref name="isTarget"/> accepts and whose process is no longer running (see <see cref="Save(string, string, ReadOnlySpan{float})"/>). Best effort: a
    /// file that cannot be deleted (gone already, no permission) is left for a later save and fails nothing.
    /// </summary>
    internal static void DeleteStaleTemporaryFiles(string? directory, Func<string, bool> isTarget)
    {
        if (!Directory.Exists(directory)) return; // also when null (the root); the write then fails by itself
        foreach (string file in Directory.EnumerateFiles(directory, "*" + TemporarySuffix + "*"))
        {
            string name = Path.GetFileName(file);
            int at = name.LastIndexOf(TemporarySuffix, StringComparison.Ordinal);
            if (at < 0 || !int.TryParse(name.AsSpan(at + TemporarySuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || !isTarget(name[..at]) || pid == Environment.ProcessId || IsRunning(pid))
                continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* left for a later save */ }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return true;
        }
        catch (ArgumentException)
        {
            return false; // no process has that id
        }
    }

    /// <summary>Writes the version 1 format (no layer table) to a stream.</summary>
    public static void Write(Stream stream, string architecture, ReadOnlySpan<float> parameters) => Write(stream, architecture, null, parameters);

    /// <summary>Writes the format to a stream: version 2 with <paramref name="layers"/>' table, or version 1 when it is null.</summary>
    /// <exception cref="ArgumentException">The layers' parameter and non-trainable counts do not add up to the length of <paramref name="parameters"/>.</exception>
    public static void Write(Stream stream, string architecture, IReadOnlyList<WeightsLayer>? layers, ReadOnlySpan<float> parameters)
    {
        byte[] arch = Encoding.UTF8.GetBytes(architecture);
        byte[] table = layers is null ? [] : LayerTable(layers, parameters.Length);
        byte[] bytes = new byte[4 + 4 + 4 + arch.Length + table.Length + 4 + parameters.Length * 4 + 4];
        Span<byte> s = bytes;
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], layers is null ? Version1 : Version);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], arch.Length);
        arch.CopyTo(s[12..]);
        table.CopyTo(s[(12 + arch.Length)..]);
        int at = 12 + arch.Length + table.Length;
        BinaryPrimitives.WriteInt32LittleEndian(s[at..], parameters.Length);
        at += 4;
        for (int i = 0; i < parameters.Length; i++, at += 4)
            BinaryPrimitives.WriteSingleLittleEndian(s[at..], parameters[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], Crc32.Compute(s[..at]));
        stream.Write(bytes);
    }

    private static byte[] LayerTable(IReadOnlyList<WeightsLayer> layers, int floats)
    {
        using var table = new MemoryStream();
        byte[] number = new byte[4];
        void Int(int value) { BinaryPrimitives.WriteInt32LittleEndian(number, value); table.Write(number); }
        void Text(string value) { byte[] b = Encoding.UTF8.GetBytes(value); Int(b.Length); table.Write(b); }
        Int(layers.Count);
        long total = 0;
        foreach (WeightsLayer l in layers)
        {
            if (l.Parameters < 0 || l.NonTrainableParameters < 0)
                throw new ArgumentException($"Layer '{l.Name}' states a negative count ({l.Parameters} parameters, {l.NonTrainableParameters} non-trainable).", nameof(layers));
            Text(l.Name);
            Text(l.Type);
            Text(l.Shapes);
            Int(l.Parameters);
            Int(l.NonTrainableParameters);
            total += (long)l.Parameters + l.NonTrainableParameters;
        }
        if (total != floats)
            throw new ArgumentException($"The layers hold {total} weights, but {floats} were given.", nameof(layers));
        return table.ToArray();
    }

    /// <summary>Reads a weights file into <paramref name="parameters"/> after checking that it was saved by the same architecture.</summary>
    /// <exception cref="InvalidDataException">The file is not a weights file, is damaged, or belongs to another architecture; the message says which.</exception>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or the file cannot be read.</exception>
    public static void Load(string path, string architecture, Span<float> parameters)
    {
        using FileStream stream = Open(path);
        Read(stream, path, architecture, parameters);
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException(Message(path, "it does not exist"), path, e);
        }
        catch (UnauthorizedAccessException e) when (Directory.Exists(path))
        {
            throw new IOException(Message(path, "it is a directory, not a weights file"), e);
        }
    }

    /// <summary>Reads the format from a stream (see <see cref="Load"/>); nothing is allocated beyond what the stream holds.</summary>
    public static void Read(Stream stream, string sourceName, string architecture, Span<float> parameters) =>
        Read(ReadAll(stream, sourceName), sourceName, architecture, parameters);

    private static byte[] ReadAll(Stream stream, string sourceName)
    {
        byte[] bytes;
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > Array.MaxLength)
                throw Bad(sourceName, $"it has {length} bytes, more than the {Array.MaxLength} a weights file can have");
            bytes = new byte[length];
            stream.ReadExactly(bytes);
        }
        else
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        return bytes;
    }

    /// <summary>Magic, version and architecture length (12 bytes), parameter count and checksum: a file with no architecture text and no parameters.</summary>
    private const int MinimumLength = 20;

    private static void Read(ReadOnlySpan<byte> s, string source, string architecture, Span<float> parameters)
    {
        Parsed file = Parse(s, source);
        if (file.Architecture != architecture)
            throw Bad(source, $"it was saved by a different network.\n  file:    {file.Architecture}\n  network: {architecture}");
        if (file.Count != parameters.Length)
            throw Bad(source, $"it holds {file.Count} parameters, but the network has {parameters.Length}");
        CopyFloats(s.Slice(file.FloatsAt, 4 * file.Count), parameters);
    }

    /// <summary>
    /// Reads a whole weights file, whatever network saved it, after the same checks as <see cref="Load"/> short of the architecture:
    /// what loading by name (<c>network.LoadWeights(path, byName: true)</c>) matches layers against.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a weights file or is damaged; the message says which.</exception>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or the file cannot be read.</exception>
    public static WeightsFileContents ReadContents(string path)
    {
        byte[] bytes;
        using (FileStream stream = Open(path)) bytes = ReadAll(stream, path);
        Parsed file = Parse(bytes, path);
        float[] weights = new float[file.Count];
        CopyFloats(bytes.AsSpan(file.FloatsAt, 4 * file.Count), weights);
        return new WeightsFileContents(file.Architecture, file.Layers, weights);
    }

    private static void CopyFloats(ReadOnlySpan<byte> bytes, Span<float> floats)
    {
        MemoryMarshal.Cast<byte, float>(bytes).CopyTo(floats);
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> raw = MemoryMarshal.Cast<float, int>(floats);
            BinaryPrimitives.ReverseEndianness(raw, raw);
        }
    }

    /// <summary>A checked file: its architecture text, its layer table (null for version 1), and where its <see cref="Count"/> floats start.</summary>
    private readonly record struct Parsed(string Architecture, WeightsLayer[]? Layers, int FloatsAt, int Count);

    private static Parsed Parse(ReadOnlySpan<byte> s, string source)
    {
        if (s.IsEmpty) throw Bad(source, "it is empty (0 bytes)");
        ReadOnlySpan<byte> start = s[..Math.Min(4, s.Length)];
        if (!Magic.StartsWith(start))
            throw Bad(source, $"it does not start with the magic bytes \"NNGW\" (found {Convert.ToHexString(start)}); it is not an NnGen weights file");
        if (s.Length < MinimumLength)
            throw Bad(source, $"it is truncated: {s.Length} bytes, but even a weights file with no parameters has {MinimumLength}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
        if (version is not (Version1 or Version)) throw Bad(source, $"it has format version {version}, but this library reads versions {Version1} and {Version}");
        int archLength = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
        if (archLength < 0) throw Bad(source, $"its header announces a negative architecture text length ({archLength}): the file is damaged");
        if (archLength > s.Length - MinimumLength)
            throw Bad(source, $"it is truncated: the header announces a {archLength}-byte architecture text, but the file has {s.Length} bytes");
        string saved = Encoding.UTF8.GetString(s.Slice(12, archLength));
        int at = 12 + archLength;
        WeightsLayer[]? layers = version == Version ? ReadLayerTable(s, source, ref at) : null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(s[at..]);
        at += 4;
        if (count < 0) throw Bad(source, $"its header announces a negative parameter count ({count}): the file is damaged");
        long expectedLength = at + 4L * count + 4;
        if (s.Length < expectedLength)
            throw Bad(source, $"it is truncated: {count} parameters need {expectedLength} bytes, but the file has {s.Length}");
        if (s.Length > expectedLength)
            throw Bad(source, $"it has {s.Length - expectedLength} unexpected bytes after the checksum ({count} parameters make {expectedLength} bytes, but the file has {s.Length})");
        int end = (int)expectedLength - 4;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(s[end..]);
        uint actual = Crc32.Compute(s[..end]);
        if (stored != actual) throw Bad(source, $"its checksum does not match (stored {stored:X8}, computed {actual:X8}): the file is damaged");
        if (layers is not null)
        {
            long total = 0;
            foreach (WeightsLayer l in layers) total += (long)l.Parameters + l.NonTrainableParameters;
            if (total != count) throw Bad(source, $"its layer table accounts for {total} weights, but it holds {count}: the file is damaged");
        }
        return new Parsed(saved, layers, at, count);
    }

    /// <summary>
    /// The version 2 layer table from <paramref name="at"/>, leaving <paramref name="at"/> at the parameter count. Each length is
    /// checked against what is left of the file (less the 8 bytes of count and checksum) before it is used.
    /// </summary>
    private static WeightsLayer[] ReadLayerTable(ReadOnlySpan<byte> s, string source, ref int at)
    {
        int limit = s.Length - 8; // the count and the checksum follow the table
        int Int(ref int at, ReadOnlySpan<byte> s, string what)
        {
            if (at > limit - 4) throw Bad(source, $"it is truncated: the layer table ends inside {what}, {s.Length} bytes in all");
            int value = BinaryPrimitives.ReadInt32LittleEndian(s[at..]);
            at += 4;
            return value;
        }
        int layerCount = Int(ref at, s, "the layer count");
        // Every layer takes at least 20 bytes (three lengths and two counts), so a count the file cannot hold is rejected before allocating.
        if (layerCount < 0 || layerCount > (limit - at) / 20)
            throw Bad(source, $"its layer table announces {layerCount} layers, which {(layerCount < 0 ? "is negative" : $"the {limit - at} bytes left cannot hold")}: the file is damaged");
        var layers = new WeightsLayer[layerCount];
        for (int i = 0; i < layerCount; i++)
        {
            string Text(ref int at, ReadOnlySpan<byte> s, string what)
            {
                int length = Int(ref at, s, $"the {what} length of layer {i}");
                if (length < 0 || length > limit - at)
                    throw Bad(source, $"its layer table announces a {length}-byte {what} for layer {i}, but {limit - at} bytes are left: the file is damaged");
                string text = Encoding.UTF8.GetString(s.Slice(at, length));
                at += length;
                return text;
            }
            string name = Text(ref at, s, "name"), type = Text(ref at, s, "type"), shapes = Text(ref at, s, "shape text");
            int parameters = Int(ref at, s, $"the parameter count of layer {i}"), state = Int(ref at, s, $"the non-trainable count of layer {i}");
            if (parameters < 0 || state < 0)
                throw Bad(source, $"its layer table gives layer {i} ('{name}') a negative count ({parameters} parameters, {state} non-trainable): the file is damaged");
            layers[i] = new WeightsLayer(name, type, shapes, parameters, state);
        }
        return layers;
    }

    internal static string Message(string source, string what) => $"Cannot load weights from '{source}': {what}.";

    private static InvalidDataException Bad(string source, string what) => new(Message(source, what));
}

/// <summary>One layer of a weights file's layer table: a layer that has weights, in the order of the network that saved it.</summary>
/// <param name="Name">The layer's name, e.g. <c>dense_1</c>.</param>
/// <param name="Type">Its kind, e.g. <c>Dense</c>.</param>
/// <param name="Shapes">Its weights' shapes, e.g. <c>kernel (784, 256), bias (256)</c>: loading by name loads a layer only where they agree.</param>
/// <param name="Parameters">Its floats in the trainable block (in the file, the layers' blocks follow each other).</param>
/// <param name="NonTrainableParameters">Its floats in the non-trainable block, which follows all trainable ones.</param>
public sealed record WeightsLayer(string Name, string Type, string Shapes, int Parameters, int NonTrainableParameters);

/// <summary>A whole weights file (<see cref="WeightsFile.ReadContents"/>).</summary>
/// <param name="Architecture">The architecture text of the network that saved it.</param>
/// <param name="Layers">Its layer table; null for a version 1 file, which has none.</param>
/// <param name="Weights">Every float: the trainable parameters, then the non-trainable ones.</param>
public sealed record WeightsFileContents(string Architecture, IReadOnlyList<WeightsLayer>? Layers, float[] Weights);

/// <summary>CRC-32 (IEEE 802.3, the zip/PNG polynomial), table-driven.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
