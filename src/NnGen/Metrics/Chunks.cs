using System;
using System.Buffers;

namespace NnGen.Metrics;

/// <summary>Runs a network over a labelled data set a chunk of rows at a time, reusing one rented output buffer.</summary>
internal static class Chunks
{
    public delegate void Handler<TState>(TState state, ReadOnlySpan<float> outputs, int outputSize, ReadOnlySpan<byte> labels);

    public static void Predict<TState>(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize,
        TState state, Handler<TState> handler)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        int inSize = network.InputSize, outSize = network.OutputSize;
        if (inputs.Length != labels.Length * inSize)
            throw new ArgumentException(
                $"Expected {labels.Length} samples of {inSize} inputs ({(long)labels.Length * inSize} floats) for {labels.Length} labels, but got {inputs.Length} floats.",
                nameof(inputs));
        int rowsPerChunk = Math.Min(batchSize, Math.Max(1, labels.Length));
        float[] buffer = ArrayPool<float>.Shared.Rent(rowsPerChunk * outSize);
        try
        {
            for (int start = 0; start < labels.Length; start += rowsPerChunk)
            {
                int rows = Math.Min(rowsPerChunk, labels.Length - start);
                Span<float> outputs = buffer.AsSpan(0, rows * outSize);
                network.Predict(inputs.Slice(start * inSize, rows * inSize), outputs);
                handler(state, outputs, outSize, labels.Slice(start, rows));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
