using System;
using System.Diagnostics;
using System.IO;
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

    [Theory]
    [InlineData("flip", "checksum")]
    [InlineData("truncate", "truncated")]
    [InlineData("magic", "not an NnGen weights file")]
    [InlineData("append", "unexpected bytes")]
    public void A_damaged_file_is_rejected_and_the_weights_stay_unchanged(string damage, string expected)
    {
        string path = Path.Combine(_dir, "net.nngw");
        new OddMlp(seed: 1).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes = damage switch
        {
            "flip" => Flip(bytes, bytes.Length / 2),
            "truncate" => bytes[..(bytes.Length - 9)],
            "magic" => Flip(bytes, 0),
            _ => [.. bytes, 0],
        };
        File.WriteAllBytes(path, bytes);
        var net = new OddMlp(seed: 2);
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.True(net.Parameters.SequenceEqual(before));

        static byte[] Flip(byte[] b, int i) { b[i] ^= 0x40; return b; }
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

    [Fact]
    public void A_missing_file_names_the_path()
    {
        string path = Path.Combine(_dir, "nope.nngw");
        var e = Assert.Throws<FileNotFoundException>(() => new OddMlp().Load(path));
        Assert.Contains(path, e.Message);
    }
}
