using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NnGen.Tests.Networks;

namespace NnGen.Tests.EndToEnd;

public sealed class SaveLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nngen-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Weights_round_trip_bit_exactly_and_predictions_agree()
    {
        var trained = new OddMlp(seed: 1);
        (float[] x, float[] y) = Numerics.TestData.Batch(trained, rows: 64, seed: 2);
        trained.Fit(x, y, epochs: 2, verbose: 0);
        string path = Path.Combine(_dir, "odd.nngw");
        trained.Save(path);

        var loaded = new OddMlp(seed: 99);
        Assert.False(loaded.Parameters.SequenceEqual(trained.Parameters));
        loaded.Load(path);
        Assert.True(loaded.Parameters.SequenceEqual(trained.Parameters)); // bit-exact
        Assert.Equal(trained.Predict(x), loaded.Predict(x));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*")); // the atomic write leaves no temporary file
    }

    [Fact]
    public void Loading_weights_of_another_architecture_fails_and_names_both()
    {
        string path = Path.Combine(_dir, "mnist.nngw");
        new MnistMlp().Save(path);
        var other = new OddMlp(seed: 3);
        float[] before = other.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => other.Load(path));
        Assert.Contains("different network", e.Message);
        Assert.Contains("Input(784) > Dense(256, Relu) > Dense(128, Relu) > Dense(10, Softmax)", e.Message);
        Assert.Contains("Input(33) > Dense(19, Tanh)", e.Message);
        Assert.Contains(path, e.Message);
        Assert.True(other.Parameters.SequenceEqual(before));
    }

    private const string OtherArchitecture = "Input(2) > Dense(1, Linear)";

    /// <summary>
    /// Every class of malformed file, made from a good one of OddMlp (A bytes of architecture text, T of layer table, P parameters,
    /// L bytes): an InvalidDataException naming the file and the numbers, and the network's weights untouched.
    /// </summary>
    [Theory]
    [InlineData("empty", "it is empty (0 bytes)")]
    [InlineData("magic prefix only", "it is truncated: 3 bytes, but even a weights file with no parameters has 20")]
    [InlineData("header cut short", "it is truncated: 19 bytes, but even a weights file with no parameters has 20")]
    [InlineData("wrong magic", "it does not start with the magic bytes \"NNGW\" (found 504B0304); it is not an NnGen weights file")]
    [InlineData("one wrong byte", "it does not start with the magic bytes \"NNGW\" (found 7B); it is not an NnGen weights file")]
    [InlineData("unknown version", "it has format version 3, but this library reads versions 1 and 2")]
    [InlineData("architecture length beyond the file", "it is truncated: the header announces a 2147483647-byte architecture text, but the file has {L} bytes")]
    [InlineData("architecture length one too many", "it is truncated: the header announces a {L-19}-byte architecture text, but the file has {L} bytes")]
    [InlineData("negative architecture length", "its header announces a negative architecture text length (-1): the file is damaged")]
    [InlineData("count beyond the file", "it is truncated: 2147483647 parameters need {A+T+8589934592+16} bytes, but the file has {L}")]
    [InlineData("count one too many", "it is truncated: {P+1} parameters need {L+4} bytes, but the file has {L}")]
    [InlineData("count one too few", "it has 4 unexpected bytes after the checksum ({P-1} parameters make {L-4} bytes, but the file has {L})")]
    [InlineData("negative count", "its header announces a negative parameter count (-2): the file is damaged")]
    [InlineData("truncated", "it is truncated: {P} parameters need {L} bytes, but the file has {L-9}")]
    [InlineData("trailing bytes", "it has 3 unexpected bytes after the checksum ({P} parameters make {L} bytes, but the file has {L+3})")]
    [InlineData("flipped parameter bit", "its checksum does not match (stored {stored}, computed {computed}): the file is damaged")]
    [InlineData("flipped checksum bit", "its checksum does not match (stored {stored}, computed {computed}): the file is damaged")]
    [InlineData("other architecture", "it was saved by a different network.\n  file:    " + OtherArchitecture + "\n  network: {architecture}")]
    [InlineData("fewer parameters", "it holds {P-1} parameters, but the network has {P}")]
    public void Every_malformed_file_names_itself_and_the_numbers_and_leaves_the_weights_unchanged(string damage, string expected)
    {
        string path = Path.Combine(_dir, "net.nngw");
        var net = new OddMlp(seed: 2);
        string architecture = ((INetwork)net).Architecture;
        new OddMlp(seed: 1).Save(path);
        byte[] b = File.ReadAllBytes(path);
        // The layer table of OddMlp's four Dense layers (version 2): its length is what the count field's place says.
        int a = System.Text.Encoding.UTF8.GetByteCount(architecture), p = net.AllWeights().Length, l = b.Length, t = l - 20 - a - 4 * p;
        // The table: a layer count, and per layer three length-prefixed texts (name, type, shapes) and two counts.
        string texts = "dense" + "dense_1" + "dense_2" + "dense_3" + "DenseDenseDenseDense" +
            "kernel (33, 19), bias (19)" + "kernel (19, 37), bias (37)" + "kernel (37, 10), bias (10)" + "kernel (10, 5), bias (5)";
        Assert.Equal(4 + 4 * 20 + texts.Length, t);
        b = damage switch
        {
            "empty" => [],
            "magic prefix only" => b[..3],
            "header cut short" => b[..19],
            "wrong magic" => [.. "PK\x03\x04"u8, .. b[4..]],
            "one wrong byte" => "{"u8.ToArray(),
            "unknown version" => Int(b, 4, 3),
            "architecture length beyond the file" => Int(b, 8, int.MaxValue),
            "architecture length one too many" => Int(b, 8, l - 19),
            "negative architecture length" => Int(b, 8, -1),
            "count beyond the file" => Int(b, 12 + a + t, int.MaxValue),
            "count one too many" => Int(b, 12 + a + t, p + 1),
            "count one too few" => Int(b, 12 + a + t, p - 1),
            "negative count" => Int(b, 12 + a + t, -2),
            "truncated" => b[..^9],
            "trailing bytes" => [.. b, 0, 0, 0],
            "flipped parameter bit" => Flip(b, l / 2),
            "flipped checksum bit" => Flip(b, l - 1),
            "other architecture" => Written(OtherArchitecture, p),
            "fewer parameters" => Written(architecture, p - 1),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(path, b);
        expected = expected.Replace("{architecture}", architecture)
            .Replace("{A+T+8589934592+16}", (a + t + 8589934592L + 16).ToString(CultureInfo.InvariantCulture))
            .Replace("{L-19}", $"{l - 19}").Replace("{L-9}", $"{l - 9}").Replace("{L-4}", $"{l - 4}").Replace("{L+3}", $"{l + 3}")
            .Replace("{L+4}", $"{l + 4}").Replace("{L}", $"{l}").Replace("{P-1}", $"{p - 1}").Replace("{P+1}", $"{p + 1}").Replace("{P}", $"{p}");
        if (damage.StartsWith("flipped", StringComparison.Ordinal))
            expected = expected.Replace("{stored}", BitConverter.ToUInt32(b, l - 4).ToString("X8", CultureInfo.InvariantCulture))
                .Replace("{computed}", Crc32.Compute(b.AsSpan(0, l - 4)).ToString("X8", CultureInfo.InvariantCulture));

        AssertRejected<InvalidDataException>(net, path, expected);

        static byte[] Int(byte[] bytes, int at, int value) { BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value); return bytes; }
        static byte[] Flip(byte[] bytes, int at) { bytes[at] ^= 0x40; return bytes; }
        static byte[] Written(string arch, int count)
        {
            using var stream = new MemoryStream();
            WeightsFile.Write(stream, arch, new float[count]);
            return stream.ToArray();
        }
    }

    [Fact]
    public void The_checksum_is_the_standard_crc32_of_every_byte_before_it()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8)); // the check value of CRC-32/ISO-HDLC (zip, PNG)
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(0xD202EF8Du, Crc32.Compute([0]));
        using var stream = new MemoryStream();
        WeightsFile.Write(stream, "", []);
        // The smallest file: magic, version 1, empty architecture text, no parameters, and the CRC-32 of those 16 bytes.
        Assert.Equal(Convert.FromHexString("4E4E4757" + "01000000" + "00000000" + "00000000" + "7B08E70E"), stream.ToArray());
    }

    [Fact]
    public void The_smallest_file_loads_into_a_network_with_no_parameters()
    {
        string path = Path.Combine(_dir, "empty.nngw");
        WeightsFile.Save(path, "", []);
        Assert.Equal(20, new FileInfo(path).Length);
        WeightsFile.Load(path, "", []); // no exception: 0-byte text and 0 parameters are valid lengths
    }

    /// <summary>Loading <paramref name="path"/> throws exactly <typeparamref name="T"/> with the message "Cannot load weights from 'path': what." and changes no weight.</summary>
    private static void AssertRejected<T>(OddMlp net, string path, string what) where T : Exception
    {
        float[] before = net.AllWeights();
        var e = Assert.Throws<T>(() => net.Load(path));
        Assert.Equal($"Cannot load weights from '{path}': {what}.", e.Message);
        Assert.Equal(before, net.AllWeights());
    }

    [Fact]
    public void A_directory_or_a_missing_file_or_folder_is_named_as_such()
    {
        var net = new OddMlp(seed: 1);
        AssertRejected<IOException>(net, _dir, "it is a directory, not a weights file");
        string missing = Path.Combine(_dir, "nope.nngw");
        AssertRejected<FileNotFoundException>(net, missing, "it does not exist");
        Assert.Equal(missing, Assert.Throws<FileNotFoundException>(() => net.Load(missing)).FileName);
        AssertRejected<FileNotFoundException>(net, Path.Combine(_dir, "no-folder", "net.nngw"), "it does not exist");
    }

    [Fact]
    public void A_file_larger_than_any_array_is_rejected_before_anything_is_read()
    {
        string path = Path.Combine(_dir, "huge.nngw");
        using (var file = File.Create(path)) file.SetLength(Array.MaxLength + 1L); // sparse: no disk space, and never read
        AssertRejected<InvalidDataException>(new OddMlp(seed: 1), path,
            $"it has {Array.MaxLength + 1L} bytes, more than the {Array.MaxLength} a weights file can have");
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_read_the_same_way()
    {
        var net = new OddMlp(seed: 1);
        using var written = new MemoryStream();
        WeightsFile.Write(written, ((INetwork)net).Architecture, net.AllWeights());
        byte[] good = written.ToArray();
        var loaded = new float[net.AllWeights().Length];
        WeightsFile.Read(NonSeekable(good), "piped", ((INetwork)net).Architecture, loaded);
        Assert.Equal(net.AllWeights(), loaded);

        var e = Assert.Throws<InvalidDataException>(() => WeightsFile.Read(NonSeekable(good[..^1]), "piped", ((INetwork)net).Architecture, loaded));
        Assert.StartsWith($"Cannot load weights from 'piped': it is truncated: {loaded.Length} parameters need {good.Length} bytes, but the file has {good.Length - 1}", e.Message);

        // Decompressing a gzip of the bytes yields them through a stream that cannot seek.
        static Stream NonSeekable(byte[] bytes)
        {
            var zipped = new MemoryStream();
            using (var gzip = new GZipStream(zipped, CompressionMode.Compress, leaveOpen: true)) gzip.Write(bytes);
            zipped.Position = 0;
            var stream = new GZipStream(zipped, CompressionMode.Decompress);
            Assert.False(stream.CanSeek);
            return stream;
        }
    }

    [Fact]
    public void A_seekable_stream_is_read_from_its_position()
    {
        var net = new OddMlp(seed: 1);
        using var stream = new MemoryStream();
        stream.Write("prefix"u8);
        WeightsFile.Write(stream, ((INetwork)net).Architecture, net.AllWeights());
        stream.Position = 6;
        var loaded = new float[net.AllWeights().Length];
        WeightsFile.Read(stream, "in-memory", ((INetwork)net).Architecture, loaded);
        Assert.Equal(net.AllWeights(), loaded);
    }

    /// <summary>Starts a real process; <c>sh</c> runs <paramref name="script"/> with <paramref name="arg"/> as <c>$0</c>.</summary>
    private static Process Start(string script, string arg = "x") =>
        Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", script, arg } })!;

    [Fact]
    public void A_save_deletes_what_a_killed_earlier_write_to_the_same_path_left()
    {
        string path = Path.Combine(_dir, "net.nngw");
        // A real writer killed mid-write: it creates "<path>.tmp-<its pid>", writes part of a header, and is killed (SIGKILL).
        using Process killed = Start("printf NNGW > \"$0.tmp-$$\"; kill -KILL $$", path);
        killed.WaitForExit();
        Assert.Equal(137, killed.ExitCode); // 128 + SIGKILL: it really was killed
        string leftover = path + ".tmp-" + killed.Id;
        Assert.True(File.Exists(leftover));
        string otherPath = Path.Combine(_dir, "other.nngw.tmp-" + killed.Id); // another target's: not ours to judge
        string notAPid = path + ".tmp-notes";
        File.WriteAllText(otherPath, "NNGW");
        File.WriteAllText(notAPid, "kept");

        var net = new OddMlp(seed: 1);
        net.Save(path);

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(otherPath));
        Assert.True(File.Exists(notAPid));
        var loaded = new OddMlp(seed: 2);
        loaded.Load(path);
        Assert.True(loaded.Parameters.SequenceEqual(net.Parameters));
    }

    [Fact]
    public void A_save_keeps_the_temporary_file_of_a_writer_that_is_still_running()
    {
        string path = Path.Combine(_dir, "net.nngw");
        using Process live = Start("exec sleep 60");
        try
        {
            string temp = path + ".tmp-" + live.Id;
            File.WriteAllText(temp, "NNGW");
            new OddMlp(seed: 1).Save(path);
            Assert.True(File.Exists(temp));

            live.Kill();
            live.WaitForExit();
            new OddMlp(seed: 1).Save(path); // now it is stale
            Assert.False(File.Exists(temp));
        }
        finally
        {
            if (!live.HasExited) live.Kill();
        }
    }
}
