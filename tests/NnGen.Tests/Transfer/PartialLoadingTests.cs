using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Transfer;

/// <summary>Loading by layer name from another network's weights file (Keras's <c>load_weights(by_name=True, skip_mismatch=...)</c>).</summary>
public sealed class PartialLoadingTests : Assessment.TempDirectoryTest
{
    private static float[] Weights(INetwork net, string layer, bool state = false)
    {
        LayerInfo l = net.Layers[net.LayerIndex(layer)];
        return state ? net.NonTrainableParameters.Slice(l.StateOffset, l.NonTrainableParameters).ToArray()
            : net.Parameters.Slice(l.ParameterOffset, l.Parameters).ToArray();
    }

    /// <summary>A trained PretrainedNet saved: its BatchNormalization's moving statistics are no longer the initial 0 and 1.</summary>
    private string Pretrained(out INetwork source)
    {
        source = new PretrainedNet(seed: 11);
        (float[] x, float[] y) = Numerics.TestData.Batch(source, rows: 64, seed: 12);
        source.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        string path = Path.Combine(Dir, "pretrained.nngw");
        source.Save(path);
        return path;
    }

    [Fact]
    public void A_layer_whose_shapes_differ_is_an_error_naming_it_and_both_shapes_and_nothing_is_loaded()
    {
        string path = Pretrained(out _);
        INetwork target = new TransferNet(seed: 1);
        float[] before = target.AllWeights();
        var e = Assert.Throws<InvalidDataException>(() => target.LoadWeights(path, byName: true));
        Assert.Equal($"Cannot load weights from '{path}': layer 'head' does not match: its weights are kernel (7, 3), bias (3) in the file " +
            "but kernel (7, 5), bias (5) in the network. Pass skipMismatch: true to load the other layers and skip it.", e.Message);
        Assert.Equal(before, target.AllWeights()); // the matching base layers come before the head, and were not loaded either
    }

    [Fact]
    public void With_skipMismatch_the_matching_layers_load_bit_exactly_and_the_mismatched_one_is_skipped_and_reported()
    {
        string path = Pretrained(out INetwork source);
        INetwork target = new TransferNet(seed: 1);
        float[] head = Weights(target, "head");
        WeightsLoadReport report = target.LoadWeights(path, byName: true, skipMismatch: true);

        Assert.Equal(["base_dense", "base_norm", "base_dense_2"], report.Loaded);
        Assert.Equal([new SkippedLayer("head", "its weights are kernel (7, 3), bias (3) in the file but kernel (7, 5), bias (5) in the network")], report.Skipped);
        Assert.Equal("Loaded 3 layers: base_dense, base_norm, base_dense_2. Skipped 1: head (its weights are kernel (7, 3), bias (3) in the file but kernel (7, 5), bias (5) in the network).",
            report.ToString());
        foreach (string layer in report.Loaded)
            Assert.Equal(Weights(source, layer), Weights(target, layer)); // float arrays compare exactly
        Assert.Equal(Weights(source, "base_norm", state: true), Weights(target, "base_norm", state: true)); // moving statistics too
        Assert.NotEqual(new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, Weights(target, "base_norm", state: true));
        Assert.Equal(head, Weights(target, "head"));

        // The transferred base then predicts as the source's base does: the frozen layers are the same functions.
        (float[] x, float[] y) = Numerics.TestData.Batch(target, rows: 40, seed: 13);
        float[] baseBefore = Weights(target, "base_dense");
        target.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        Assert.Equal(baseBefore, Weights(target, "base_dense")); // declared frozen in TransferNet
        Assert.NotEqual(head, Weights(target, "head"));
    }

    [Fact]
    public void Layers_are_matched_by_name_wherever_they_are_in_either_network()
    {
        string path = Pretrained(out INetwork source);
        INetwork target = new ShiftedNet(seed: 1);
        float[] adapter = Weights(target, "adapter"), head = Weights(target, "head");
        Assert.NotEqual(source.Layers[0].ParameterOffset, target.Layers[1].ParameterOffset);
        WeightsLoadReport report = target.LoadWeights(path, byName: true, skipMismatch: true);
        Assert.Equal(["base_dense", "base_norm"], report.Loaded);
        Assert.Equal(["adapter (the file has no layer of that name)", "head (its weights are kernel (7, 3), bias (3) in the file but kernel (8, 3), bias (3) in the network)"],
            report.Skipped.Select(s => $"{s.Name} ({s.Reason})"));
        Assert.Equal(Weights(source, "base_dense"), Weights(target, "base_dense"));
        Assert.Equal(Weights(source, "base_norm"), Weights(target, "base_norm"));
        Assert.Equal(Weights(source, "base_norm", state: true), Weights(target, "base_norm", state: true));
        Assert.Equal(adapter, Weights(target, "adapter"));
        Assert.Equal(head, Weights(target, "head"));
    }

    [Fact]
    public void A_file_of_a_network_with_other_names_loads_nothing_and_says_so()
    {
        string path = Path.Combine(Dir, "mnist.nngw");
        new MnistMlp().Save(path);
        INetwork target = new TransferNet(seed: 1);
        float[] before = target.AllWeights();
        WeightsLoadReport report = target.LoadWeights(path, byName: true);
        Assert.Empty(report.Loaded);
        Assert.Equal(["base_dense", "base_norm", "base_dense_2", "head"], report.Skipped.Select(s => s.Name));
        Assert.All(report.Skipped, s => Assert.Equal("the file has no layer of that name", s.Reason));
        Assert.Equal(before, target.AllWeights());
        Assert.StartsWith("Loaded 0 layers. Skipped 4: base_dense (the file has no layer of that name);", report.ToString());
    }

    [Fact]
    public void A_layer_of_the_same_name_but_another_kind_is_a_mismatch()
    {
        string path = Path.Combine(Dir, "kinds.nngw");
        INetwork target = new TransferNet(seed: 1);
        // A hand-made file whose "base_norm" is a Dense with as many weights (16 parameters, 16 non-trainable) as the BatchNormalization.
        WeightsFile.Save(path, "Input(6) > Something", [new WeightsLayer("base_norm", "Dense", "kernel (3, 4), bias (4)", 16, 16)], new float[32]);
        var e = Assert.Throws<InvalidDataException>(() => target.LoadWeights(path, byName: true));
        Assert.Contains("layer 'base_norm' does not match: it is a Dense in the file but a BatchNormalization in the network.", e.Message);
        WeightsLoadReport report = target.LoadWeights(path, byName: true, skipMismatch: true);
        Assert.Equal(new SkippedLayer("base_norm", "it is a Dense in the file but a BatchNormalization in the network"), report.Skipped[1]);
    }

    [Fact]
    public void Each_kinds_weight_shapes_are_named_as_Keras_names_them()
    {
        INetwork conv = new FrozenConvNet();
        Assert.Equal(["kernel (3, 3, 2, 3), bias (3)", "gamma (3), beta (3), moving_mean (3), moving_variance (3)", "", "kernel (27, 2), bias (2)"],
            conv.Layers.Select(NetworkExtensions.WeightShapes));
        Assert.Equal(["conv", "norm", "head"], conv.WeightsLayers().Select(l => l.Name)); // the Flatten has no weights
        Assert.Equal(new WeightsLayer("norm", "BatchNormalization", "gamma (3), beta (3), moving_mean (3), moving_variance (3)", 6, 6), conv.WeightsLayers()[1]);
    }

    [Fact]
    public void Without_byName_it_is_Load_and_skipMismatch_alone_is_refused()
    {
        string path = Pretrained(out INetwork source);
        INetwork same = new PretrainedNet(seed: 2);
        WeightsLoadReport report = same.LoadWeights(path);
        Assert.Equal(source.AllWeights(), same.AllWeights());
        Assert.Equal(["base_dense", "base_norm", "base_dense_2", "head"], report.Loaded);
        Assert.Contains("different network", Assert.Throws<InvalidDataException>(() => new TransferNet().LoadWeights(path)).Message);
        var e = Assert.Throws<ArgumentException>(() => same.LoadWeights(path, skipMismatch: true));
        Assert.Equal("skipMismatch", e.ParamName);
    }

    [Fact]
    public void A_version_1_file_still_loads_into_its_own_network_but_cannot_be_loaded_by_name()
    {
        INetwork source = new PretrainedNet(seed: 5);
        string path = Path.Combine(Dir, "v1.nngw");
        using (var stream = File.Create(path)) WeightsFile.Write(stream, source.Architecture, source.AllWeights());
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path).AsSpan(4)));
        INetwork same = new PretrainedNet(seed: 6);
        same.Load(path);
        Assert.Equal(source.AllWeights(), same.AllWeights());
        var e = Assert.Throws<InvalidDataException>(() => new TransferNet().LoadWeights(path, byName: true));
        Assert.Equal($"Cannot load weights from '{path}': it is a version 1 weights file, which does not record layer names; load it with Load into the network that saved it and Save it again.", e.Message);
    }

    /// <summary>
    /// Damage to the layer table, with the checksum made right again so that the table's own checks are what fails; and plain
    /// truncation and a flipped bit, which the lengths and the checksum catch. The target's weights never change.
    /// </summary>
    [Theory]
    [InlineData("truncated", "it is truncated: {P} parameters need {L} bytes, but the file has {L-5}")]
    [InlineData("flipped bit", "its checksum does not match")]
    [InlineData("negative layer count", "its layer table announces -1 layers, which is negative: the file is damaged")]
    [InlineData("layer count too large", "its layer table announces 1000 layers, which the {left} bytes left cannot hold: the file is damaged")]
    [InlineData("name longer than the file", "its layer table announces a 100000-byte name for layer 0, but {nameLeft} bytes are left: the file is damaged")]
    [InlineData("negative parameter count", "its layer table gives layer 0 ('base_dense') a negative count (-56 parameters, 0 non-trainable): the file is damaged")]
    [InlineData("counts that do not add up", "its layer table accounts for 160 weights, but it holds 175: the file is damaged")]
    public void A_damaged_file_is_refused_by_name_too_and_changes_nothing(string damage, string expected)
    {
        string path = Pretrained(out INetwork source);
        byte[] b = File.ReadAllBytes(path);
        int a = System.Text.Encoding.UTF8.GetByteCount(source.Architecture), table = 12 + a, p = source.AllWeights().Length, l = b.Length;
        int firstParameters = table + 4 + 4 + "base_dense".Length + 4 + "Dense".Length + 4 + "kernel (6, 8), bias (8)".Length;
        Assert.Equal(56, BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(firstParameters)));
        b = damage switch
        {
            "truncated" => b[..^5],
            "flipped bit" => Flip(b, l / 2),
            "negative layer count" => Fixed(Int(b, table, -1)),
            "layer count too large" => Fixed(Int(b, table, 1000)),
            "name longer than the file" => Fixed(Int(b, table + 4, 100_000)),
            "negative parameter count" => Fixed(Int(b, firstParameters, -56)),
            "counts that do not add up" => Fixed(Int(b, firstParameters, 56 - 15)),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(path, b);
        expected = expected.Replace("{P}", $"{p}").Replace("{L-5}", $"{l - 5}").Replace("{L}", $"{l}")
            .Replace("{left}", $"{l - 8 - table - 4}").Replace("{nameLeft}", $"{l - 8 - table - 8}");

        INetwork target = new TransferNet(seed: 1);
        float[] before = target.AllWeights();
        var e = Assert.Throws<InvalidDataException>(() => target.LoadWeights(path, byName: true, skipMismatch: true));
        Assert.StartsWith($"Cannot load weights from '{path}': {expected}", e.Message);
        Assert.Equal(before, target.AllWeights());
        Assert.StartsWith($"Cannot load weights from '{path}': {expected}", Assert.Throws<InvalidDataException>(() => new PretrainedNet().Load(path)).Message); // and Load, which reads the same table

        static byte[] Int(byte[] bytes, int at, int value) { BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value); return bytes; }
        static byte[] Flip(byte[] bytes, int at) { bytes[at] ^= 0x40; return bytes; }
        static byte[] Fixed(byte[] bytes)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4)));
            return bytes;
        }
    }

    /// <summary>
    /// A version 2 file with no weights built field by field (an int, or a string written as raw UTF-8 bytes), the checksum
    /// right: the layer table's bounds at their edges. <c>ok</c> means it reads, with the layers named in <paramref name="expected"/>.
    /// </summary>
    [Theory]
    [InlineData("ok: ", 0)]
    [InlineData("ok: a", 1, 1, "a", 1, "B", 0, "", 0, 0)] // every length at its smallest: an empty shape text, no weights
    [InlineData("its layer table announces 2 layers, which the 22 bytes left cannot hold", 2, 1, "a", 1, "B", 0, "", 0, 0)]
    [InlineData("it is truncated: the layer table ends inside the type length of layer 0, 46 bytes in all", 1, 18, "a", 1, "B", 0, "", 0, 0)]
    [InlineData("its layer table announces a 19-byte name for layer 0, but 18 bytes are left", 1, 19, "a", 1, "B", 0, "", 0, 0)]
    [InlineData("its layer table announces a 14-byte type for layer 0, but 13 bytes are left", 1, 1, "a", 14, "B", 0, "", 0, 0)]
    [InlineData("its layer table announces a 9-byte shape text for layer 0, but 8 bytes are left", 1, 1, "a", 1, "B", 9, "", 0, 0)]
    [InlineData("it is truncated: the layer table ends inside the parameter count of layer 0, 44 bytes in all", 1, 7, "abcdefg", 1, "B", 0, "")]
    [InlineData("it is truncated: the layer table ends inside the non-trainable count of layer 0, 44 bytes in all", 1, 3, "abc", 1, "B", 0, "", 0)]
    [InlineData("its layer table gives layer 0 ('a') a negative count (0 parameters, -1 non-trainable)", 1, 1, "a", 1, "B", 0, "", 0, -1)]
    public void The_layer_table_is_read_to_its_edges_and_no_further(string expected, params object[] fields)
    {
        var bytes = new System.Collections.Generic.List<byte>();
        void Int(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, v); bytes.AddRange(b); }
        bytes.AddRange("NNGW"u8.ToArray());
        Int(2);
        Int(0); // no architecture text
        foreach (object f in fields)
            if (f is int v) Int(v); else bytes.AddRange(System.Text.Encoding.UTF8.GetBytes((string)f));
        Int(0); // no weights
        Int(0);
        byte[] file = bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        string path = Path.Combine(Dir, "table.nngw");
        File.WriteAllBytes(path, file);
        if (expected.StartsWith("ok: ", StringComparison.Ordinal))
        {
            WeightsFileContents contents = WeightsFile.ReadContents(path);
            Assert.Equal(expected[4..], string.Join(",", contents.Layers!.Select(l => l.Name)));
            Assert.Empty(contents.Weights);
            Assert.Equal("", contents.Architecture);
        }
        else
            Assert.StartsWith($"Cannot load weights from '{path}': {expected}", Assert.Throws<InvalidDataException>(() => WeightsFile.ReadContents(path)).Message);
    }

    [Fact]
    public void Writing_a_layer_table_that_does_not_account_for_the_weights_is_refused()
    {
        using var stream = new MemoryStream();
        Assert.Contains("Layer 'a' states a negative count (0 parameters, -1 non-trainable)",
            Assert.Throws<ArgumentException>(() => WeightsFile.Write(stream, "", [new WeightsLayer("a", "B", "", 0, -1)], [])).Message);
        Assert.Contains("Layer 'a' states a negative count (-1 parameters, 0 non-trainable)",
            Assert.Throws<ArgumentException>(() => WeightsFile.Write(stream, "", [new WeightsLayer("a", "B", "", -1, 0)], [])).Message);
        Assert.Contains("The layers hold 3 weights, but 2 were given.",
            Assert.Throws<ArgumentException>(() => WeightsFile.Write(stream, "", [new WeightsLayer("a", "B", "", 1, 2)], [1f, 2f])).Message);
        Assert.Equal(0, stream.Length);
        WeightsFile.Write(stream, "", [new WeightsLayer("a", "B", "", 0, 0)], []); // a layer with no weights is fine
        Assert.Equal(12 + 4 + 4 + 1 + 4 + 1 + 4 + 4 + 4 + 4 + 4, stream.Length);
    }

    [Fact]
    public void A_version_2_header_on_a_file_without_a_table_is_truncated_inside_the_layer_count()
    {
        string path = Path.Combine(Dir, "short.nngw");
        byte[] b = Convert.FromHexString("4E4E4757" + "02000000" + "00000000" + "00000000" + "00000000");
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), Crc32.Compute(b.AsSpan(0, 16)));
        File.WriteAllBytes(path, b);
        Assert.Equal($"Cannot load weights from '{path}': it is truncated: the layer table ends inside the layer count, 20 bytes in all.",
            Assert.Throws<InvalidDataException>(() => WeightsFile.ReadContents(path)).Message);
    }
}
