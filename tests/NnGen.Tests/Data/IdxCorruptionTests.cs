using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using CsCheck;
using NnGen.Data;

namespace NnGen.Tests.Data;

/// <summary>
/// Random damage to a valid IDX file (raw or gzip) must either load exactly what the damaged bytes say or throw
/// <see cref="InvalidDataException"/>: never another exception, never an out-of-memory.
/// </summary>
public sealed class IdxCorruptionTests
{
    private enum Damage { Truncate, Flip, Insert, Append }

    private static readonly Gen<byte[]> ValidFile =
        Gen.Int[1, 3].SelectMany(rank => Gen.Int[0, 6].Array[rank]).SelectMany(dims =>
            Gen.Byte.Array[dims.Aggregate(1, (a, d) => a * d)].Select(data => IdxTestFiles.Build(0x0800 | dims.Length, dims, data)));

    private static readonly Gen<(byte[] Original, bool Gzip, byte[] Damaged)> Damaged =
        Gen.Select(ValidFile, Gen.Bool).SelectMany((raw, gzip) =>
        {
            byte[] file = gzip ? IdxTestFiles.Gzip(raw) : raw;
            return Gen.Select(Gen.Enum<Damage>(), Gen.Int[0, file.Length - 1], Gen.Byte[1, 255], Gen.Int[1, 5])
                .Select((damage, at, value, count) => (raw, gzip, Apply(file, damage, at, value, count)));
        });

    private static byte[] Apply(byte[] file, Damage damage, int at, byte value, int count) => damage switch
    {
        Damage.Truncate => file[..at],
        Damage.Flip => file.Select((b, i) => i == at ? (byte)(b ^ value) : b).ToArray(),
        Damage.Insert => [.. file[..at], .. Enumerable.Repeat(value, count), .. file[at..]],
        _ => [.. file, .. Enumerable.Repeat(value, count)],
    };

    [Fact]
    public void Damaged_files_load_what_they_say_or_throw_InvalidDataException()
    {
        Damaged.Sample(sample =>
        {
            (byte[] original, bool gzip, byte[] damaged) = sample;
            IdxArray? loaded = null;
            Exception? error = Record.Exception(() => loaded = Idx.Read(new MemoryStream(damaged), "damaged"));
            if (error is not null and not InvalidDataException)
                throw new InvalidOperationException($"{error.GetType().Name} instead of InvalidDataException", error);
            if (loaded is null)
                return;
            // Gzip checks its CRC, so a gzip file that loads is the original; a raw file holds whatever the bytes say.
            (int[] dims, byte[] data) = gzip && damaged is [0x1f, 0x8b, ..] ? Parse(original)!.Value : Parse(damaged)
                ?? throw new InvalidOperationException("loaded bytes that are not a valid IDX file");
            Assert.Equal(dims, loaded.Dimensions);
            Assert.Equal(data, loaded.Data);
        }, iter: 3000);
    }

    /// <summary>An independent reading of the IDX layout: the dimensions and data, or null when the bytes are not exactly one IDX array.</summary>
    private static (int[] Dims, byte[] Data)? Parse(byte[] bytes)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 8 || bytes[3] == 0)
            return null;
        int rank = bytes[3], headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            return null;
        int[] dims = Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i))).ToArray();
        if (dims.Any(d => d < 0) || dims.Skip(1).Aggregate(1.0, (a, d) => a * d) > Array.MaxLength
            || dims.Aggregate(1.0, (a, d) => a * d) != bytes.Length - headerLength)
            return null;
        return (dims, bytes[headerLength..]);
    }
}
