using System;
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
/// version           u32      1
/// archLength        i32      byte length of the architecture text
/// architecture      UTF-8    INetwork.Architecture of the network that saved it
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

    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>
    /// Writes the file atomically: to a temporary file beside it (<c>&lt;path&gt;.tmp-&lt;process id&gt;</c>), then renamed
    /// over the target. Temporary files that earlier writes to the same path left behind because their process was killed
    /// are deleted first; those of a process that is still running are kept.
    /// </summary>
    public static void Save(string path, string architecture, ReadOnlySpan<float> parameters)
    {
        string full = Path.GetFullPath(path);
        DeleteStaleTemporaryFiles(full);
        string temp = full + TemporarySuffix + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Write(stream, architecture, parameters);
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
    /// <paramref name="isTarget"/> accepts and whose process is no longer running (see <see cref="Save"/>). Best effort: a
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

    /// <summary>Writes the format to a stream.</summary>
    public static void Write(Stream stream, string architecture, ReadOnlySpan<float> parameters)
    {
        byte[] arch = Encoding.UTF8.GetBytes(architecture);
        byte[] bytes = new byte[4 + 4 + 4 + arch.Length + 4 + parameters.Length * 4 + 4];
        Span<byte> s = bytes;
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], arch.Length);
        arch.CopyTo(s[12..]);
        int at = 12 + arch.Length;
        BinaryPrimitives.WriteInt32LittleEndian(s[at..], parameters.Length);
        at += 4;
        for (int i = 0; i < parameters.Length; i++, at += 4)
            BinaryPrimitives.WriteSingleLittleEndian(s[at..], parameters[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], Crc32.Compute(s[..at]));
        stream.Write(bytes);
    }

    /// <summary>Reads a weights file into <paramref name="parameters"/> after checking that it was saved by the same architecture.</summary>
    /// <exception cref="InvalidDataException">The file is not a weights file, is damaged, or belongs to another architecture; the message says which.</exception>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or the file cannot be read.</exception>
    public static void Load(string path, string architecture, Span<float> parameters)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException(Message(path, "it does not exist"), path, e);
        }
        catch (UnauthorizedAccessException e) when (Directory.Exists(path))
        {
            throw new IOException(Message(path, "it is a directory, not a weights file"), e);
        }
        using (stream) Read(stream, path, architecture, parameters);
    }

    /// <summary>Reads the format from a stream (see <see cref="Load"/>); nothing is allocated beyond what the stream holds.</summary>
    public static void Read(Stream stream, string sourceName, string architecture, Span<float> parameters)
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
        Read(bytes, sourceName, architecture, parameters);
    }

    /// <summary>Magic, version and architecture length (12 bytes), parameter count and checksum: a file with no architecture text and no parameters.</summary>
    private const int MinimumLength = 20;

    private static void Read(ReadOnlySpan<byte> s, string source, string architecture, Span<float> parameters)
    {
        if (s.IsEmpty) throw Bad(source, "it is empty (0 bytes)");
        ReadOnlySpan<byte> start = s[..Math.Min(4, s.Length)];
        if (!Magic.StartsWith(start))
            throw Bad(source, $"it does not start with the magic bytes \"NNGW\" (found {Convert.ToHexString(start)}); it is not an NnGen weights file");
        if (s.Length < MinimumLength)
            throw Bad(source, $"it is truncated: {s.Length} bytes, but even a weights file with no parameters has {MinimumLength}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
        if (version != Version) throw Bad(source, $"it has format version {version}, but this library reads version {Version}");
        int archLength = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
        if (archLength < 0) throw Bad(source, $"its header announces a negative architecture text length ({archLength}): the file is damaged");
        if (archLength > s.Length - MinimumLength)
            throw Bad(source, $"it is truncated: the header announces a {archLength}-byte architecture text, but the file has {s.Length} bytes");
        string saved = Encoding.UTF8.GetString(s.Slice(12, archLength));
        int at = 12 + archLength;
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
        if (saved != architecture)
            throw Bad(source, $"it was saved by a different network.\n  file:    {saved}\n  network: {architecture}");
        if (count != parameters.Length)
            throw Bad(source, $"it holds {count} parameters, but the network has {parameters.Length}");
        MemoryMarshal.Cast<byte, float>(s.Slice(at, 4 * count)).CopyTo(parameters);
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> raw = MemoryMarshal.Cast<float, int>(parameters);
            BinaryPrimitives.ReverseEndianness(raw, raw);
        }
    }

    private static string Message(string source, string what) => $"Cannot load weights from '{source}': {what}.";

    private static InvalidDataException Bad(string source, string what) => new(Message(source, what));
}

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
