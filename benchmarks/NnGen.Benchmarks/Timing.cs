using System;
using System.Diagnostics;
using System.Linq;

namespace NnGen.Benchmarks;

/// <summary>The timing pieces the Stopwatch-based commands share (`overhead`, `peak`, `scaling`).</summary>
internal static class Timing
{
    /// <summary>Microseconds per call of <paramref name="calls"/> calls in a row.</summary>
    public static double PerCallUs(int calls, Action call)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
