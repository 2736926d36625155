using System;
using System.Linq;
using NnGen.Kernels;
using NnGen.Reference;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

/// <summary>
/// Generated convolutional networks end to end: backward passes against central finite differences of the generated
/// loss (every window layer, first and hidden, strides 1 and 2, 'valid' and 'same'), and a forward pass against the
/// double-precision reference kernels composed by hand.
/// </summary>
public class ConvNetworkTests
{
    public static TheoryData<string> Names => new(nameof(ValidConvNet), nameof(SameConvNet), nameof(HiddenConvNet), nameof(StridedConvNet), nameof(ChannelSoftmaxNet));

    private static INetwork Create(string name, int seed = 1) => name switch
    {
        nameof(ValidConvNet) => new ValidConvNet(seed),
        nameof(SameConvNet) => new SameConvNet(seed),
        nameof(HiddenConvNet) => new HiddenConvNet(seed),
        nameof(StridedConvNet) => new StridedConvNet(seed),
        nameof(ChannelSoftmaxNet) => new ChannelSoftmaxNet(seed),
        _ => throw new ArgumentException(name),
    };


    [Theory]
    [MemberData(nameof(Names))]
    public void Gradients_match_central_finite_differences(string name)
    {
        INetwork net = Create(name);
        TestData.Perturb(net);
        (float[] x, float[] y) = TestData.Batch(net, rows: 3, seed: 7);
        if (net is StridedConvNet strided)
        {
            // Dropout draws a new mask each pass: hold it fixed by restarting its stream before each evaluation.
            var field = typeof(StridedConvNet).GetField("_dropoutRng", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
            object start = field.GetValue(strided)!;
            FiniteDifferences.Check(net, x, y, name, () => field.SetValue(strided, start));
        }
        else
        {
            FiniteDifferences.Check(net, x, y, name);
        }
    }

    [Fact]
    public void The_forward_pass_is_the_reference_kernels_composed()
    {
        var net = new ValidConvNet(4);
        TestData.Perturb(net);
        const int rows = 3;
        (float[] x, _) = TestData.Batch(net, rows, seed: 5);
        float[] p = net.Parameters.ToArray();

        var conv = Conv2DGeometry.Create(7, 6, 2, 3, 3, 3, 1, 1, same: false); // (5, 4, 3)
        var pool = Conv2DGeometry.Create(5, 4, 3, 3, 2, 2, 2, 2, same: false); // (2, 2, 3)
        int kernel = 3 * 3 * 2 * 3;
        float[] y1 = new float[rows * 5 * 4 * 3];
        ConvReference.Forward(y1, x, p.AsSpan(0, kernel), p.AsSpan(kernel, 3), conv, rows, relu: false);
        for (int i = 0; i < y1.Length; i++) y1[i] = MathF.Tanh(y1[i]);
        float[] y2 = new float[rows * 2 * 2 * 3];
        ConvReference.MaxPoolForward(y2, y1, pool, rows);
        int dense = kernel + 3;
        float[] expected = new float[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            double[] z = new double[4];
            for (int j = 0; j < 4; j++)
            {
                z[j] = p[dense + 12 * 4 + j];
                for (int k = 0; k < 12; k++) z[j] += (double)y2[r * 12 + k] * p[dense + k * 4 + j];
            }
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < 4; j++) expected[r * 4 + j] = (float)(Math.Exp(z[j] - max) / sum);
        }

        float[] actual = new float[rows * 4];
        net.Predict(x, actual);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5, $"output {i}: {actual[i]}, reference {expected[i]}");
    }

    [Fact]
    public void Softmax_on_an_image_normalises_the_channels_at_each_position()
    {
        var net = new ChannelSoftmaxNet(2);
        TestData.Perturb(net);
        const int rows = 2, positions = 3 * 2, channels = 3;
        (float[] x, _) = TestData.Batch(net, rows, seed: 3);
        float[] p = net.Parameters.ToArray();
        int kernel = 4 * channels, dense = kernel + channels;
        float[] expected = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            double[] flat = new double[positions * channels];
            for (int q = 0; q < positions; q++)
            {
                // The 1x1 convolution, tanh, then softmax over this position's three channels only.
                double[] z = new double[channels];
                for (int f = 0; f < channels; f++)
                {
                    z[f] = p[kernel + f];
                    for (int c = 0; c < 4; c++) z[f] += (double)x[(r * positions + q) * 4 + c] * p[c * channels + f];
                    z[f] = Math.Tanh(z[f]);
                }
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                for (int f = 0; f < channels; f++) flat[q * channels + f] = Math.Exp(z[f] - max) / sum;
            }
            for (int j = 0; j < 2; j++)
            {
                double y = p[dense + flat.Length * 2 + j];
                for (int k = 0; k < flat.Length; k++) y += flat[k] * p[dense + k * 2 + j];
                expected[r * 2 + j] = (float)y;
            }
        }

        float[] actual = new float[rows * 2];
        net.Predict(x, actual);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5, $"output {i}: {actual[i]}, reference {expected[i]}");
    }

    [Fact]
    public void The_dense_reference_network_refuses_layers_it_would_compute_wrongly()
    {
        INetwork net = new ValidConvNet(1);
        var e = Assert.Throws<NotSupportedException>(() => ReferenceNetwork.Forward(net.Layers, net.Parameters, new float[net.InputSize], 1));
        Assert.Contains("layer 'conv2d' is Conv2D", e.Message);
    }

    [Fact]
    public void The_generated_geometry_is_the_runtimes()
    {
        // The generator computes output sizes and padding itself (it cannot call the runtime); both must agree.
        var field = typeof(SameConvNet).GetField("Conv2D1Geometry", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        Assert.Equal(Conv2DGeometry.Create(5, 5, 3, 4, 3, 3, 2, 2, same: true), (Conv2DGeometry)field.GetValue(null)!);
        var pool = typeof(SameConvNet).GetField("AveragePooling2D4Geometry", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        Assert.Equal(Conv2DGeometry.Create(3, 3, 5, 5, 2, 2, 2, 2, same: true), (Conv2DGeometry)pool.GetValue(null)!);
    }

    [Fact]
    public void Summary_prints_Keras_shapes_and_parameter_counts()
    {
        string summary = new SameConvNet().Summary();
        void Row(string layer, string shape, string parameters) =>
            Assert.Matches($@"(?m)^ {System.Text.RegularExpressions.Regex.Escape(layer)} +{System.Text.RegularExpressions.Regex.Escape(shape)} +{parameters}$", summary);
        Row("conv2d (Conv2D)", "(None, 3, 3, 4)", "112"); // 3·3·3·4 + 4
        Row("batch_normalization (BatchNormalization)", "(None, 3, 3, 4)", "16"); // gamma, beta, moving mean and variance per channel
        Row("conv2d_1 (Conv2D)", "(None, 3, 3, 5)", "85"); // 2·2·4·5 + 5
        Row("average_pooling2d (AveragePooling2D)", "(None, 2, 2, 5)", "0");
        Row("global_average_pooling2d (GlobalAveragePooling2D)", "(None, 5)", "0");
        Row("dense (Dense)", "(None, 3)", "18");
        Assert.Contains("Total params: 231", summary); // 112 + 16 + 85 + 18
        Assert.Contains("Non-trainable params: 8", summary);
    }
}
