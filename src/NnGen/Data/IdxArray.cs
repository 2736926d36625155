using System;

namespace NnGen.Data;

/// <summary>The contents of an unsigned-byte IDX file: its dimensions and its data in row-major order.</summary>
public sealed class IdxArray
{
    /// <summary>Creates an array; <paramref name="data"/> must hold exactly the product of <paramref name="dimensions"/> bytes.</summary>
    /// <param name="dimensions">Size of each dimension, outermost first (for MNIST images: count, rows, columns).</param>
    /// <param name="data">The elements in row-major order.</param>
    public IdxArray(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length == 0)
            throw new ArgumentException("An IDX array needs at least one dimension.", nameof(dimensions));
        long itemSize = 1;
        for (int i = 1; i < dimensions.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimensions[i], nameof(dimensions));
            itemSize = Math.Min(itemSize * dimensions[i], (long)Array.MaxLength + 1);
        }
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions[0], nameof(dimensions));
        long length = dimensions[0] * itemSize;
        if (itemSize > Array.MaxLength || length != data.Length)
            throw new ArgumentException(
                $"Dimensions {string.Join('x', dimensions)} need {length} bytes, but data holds {data.Length}.", nameof(data));
        Dimensions = dimensions;
        Data = data;
        ItemSize = (int)itemSize;
    }

    /// <summary>Size of each dimension, outermost first.</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements in row-major order.</summary>
    public byte[] Data { get; }

    /// <summary>Number of items: the size of the first dimension.</summary>
    public int Count => Dimensions[0];

    /// <summary>Number of elements in one item: the product of all dimensions but the first (1 for a 1-d array).</summary>
    public int ItemSize { get; }
}
