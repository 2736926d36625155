using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace NnGen.Benchmarks;

/// <summary>
/// `peak`: the machine's float FMA throughput, the ceiling the benchmarks' GFLOP/s are compared against
/// (benchmarks/compare.py). Twelve independent fused multiply-add chains (more than latency × FMA units, so the units never
/// wait) on Vector256 and, if accelerated, Vector512; the higher of the two. On one thread and on one thread per core
/// (<see cref="Environment.ProcessorCount"/>), each the median of three runs of about half a second. Prints JSON.
/// </summary>
internal static class Peak
{
    private const int Chains = 12;

    public static void Run()
    {
        var (one256, all256, one512, all512) = MeasureWidths();
        double read = ReadGBPerSecond(SeedWeights);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"gflops1": {{Math.Max(one256, one512):F1}}, "gflopsAll": {{Math.Max(all256, all512):F1}}, "threads": {{Environment.ProcessorCount}}, "gflops1Vector256": {{one256:F1}}, "gflops1Vector512": {{one512:F1}}, "readSeedWeightsGBs": {{read:F1}}, "readSeedWeightsUs": {{SeedWeights * sizeof(float) / read / 1e3:F2}}}"""));
    }

    /// <summary>GFLOP/s on one thread and on all cores, the better of the two vector widths.</summary>
    public static (double One, double All) Measure()
    {
        var (one256, all256, one512, all512) = MeasureWidths();
        return (Math.Max(one256, one512), Math.Max(all256, all512));
    }

    /// <summary>GFLOP/s on one thread and on all cores for Vector256 and, if accelerated, Vector512 (0 otherwise).</summary>
    private static (double One256, double All256, double One512, double All512) MeasureWidths()
    {
        var (one256, all256) = Measure<W256, Vector256<float>>();
        var (one512, all512) = Vector512.IsHardwareAccelerated ? Measure<W512, Vector512<float>>() : (0, 0);
        return (one256, all256, one512, all512);
    }

    /// <summary>The seed model's weights and biases (784·256 + 256 + 256·128 + 128 + 128·10 + 10): what one single-sample Predict must read.</summary>
    private const int SeedWeights = 235_146;

    /// <summary>
    /// One thread's read bandwidth over a block of <paramref name="floats"/> read again and again (so from the nearest
    /// cache it fits), eight 512-bit loads per step into independent sums (two 256-bit halves each where 512 bits are not
    /// accelerated); the best of five runs of about 0.4 s. The floor of a single-sample Predict, which reads each weight once.
    /// </summary>
    private static double ReadGBPerSecond(int floats)
    {
        var a = new float[floats / 128 * 128];
        for (int i = 0; i < a.Length; i++) a[i] = i % 7;
        long passes = Math.Max(1, 400_000_000L / a.Length);
        double best = 0;
        for (int run = 0; run < 6; run++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Sink<float>.Value = Read(a, passes);
            if (run > 0) best = Math.Max(best, passes * (double)a.Length * sizeof(float) / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9); // run 0 warms up
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Read(float[] a, long passes)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (long p = 0; p < passes; p++)
        {
            ref float r = ref a[0];
            for (int i = 0; i < a.Length; i += 128)
            {
                nuint o = (nuint)i;
                s0 += Vector512.LoadUnsafe(ref r, o); s1 += Vector512.LoadUnsafe(ref r, o + 16);
                s2 += Vector512.LoadUnsafe(ref r, o + 32); s3 += Vector512.LoadUnsafe(ref r, o + 48);
                s4 += Vector512.LoadUnsafe(ref r, o + 64); s5 += Vector512.LoadUnsafe(ref r, o + 80);
                s6 += Vector512.LoadUnsafe(ref r, o + 96); s7 += Vector512.LoadUnsafe(ref r, o + 112);
            }
        }
        return (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7)[0];
    }

    /// <summary>GFLOP/s on one thread and on all cores.</summary>
    private static (double One, double All) Measure<TW, TV>() where TW : struct, IWidth<TV> where TV : struct
    {
        long iterations = 1 << 16;
        while (Seconds<TW, TV>(1, iterations) < 0.5) iterations *= 2; // also warms the kernel past tiered compilation
        double flops = (double)iterations * Chains * (Unsafe.SizeOf<TV>() / sizeof(float)) * 2;
        double[] one = new double[3], all = new double[3];
        for (int r = 0; r < one.Length; r++)
        {
            one[r] = flops / Seconds<TW, TV>(1, iterations) / 1e9;
            all[r] = flops * Environment.ProcessorCount / Seconds<TW, TV>(Environment.ProcessorCount, iterations) / 1e9;
        }
        return (Timing.Median(one), Timing.Median(all));
    }

    /// <summary>Wall time of <paramref name="threads"/> threads each running the chains for <paramref name="iterations"/>.</summary>
    private static double Seconds<TW, TV>(int threads, long iterations) where TW : struct, IWidth<TV> where TV : struct
    {
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            Sink<TV>.Value = RunChains<TW, TV>(iterations);
        })).ToArray();
        foreach (var w in workers) w.Start();
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        foreach (var w in workers) w.Join();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>The twelve chains, <c>a = a * b + c</c>, which converges to c / (1 - b) = 1: no overflow, no denormals.</summary>
    private static TV RunChains<TW, TV>(long iterations) where TW : struct, IWidth<TV> where TV : struct
    {
        TV b = TW.Create(0.999f), c = TW.Create(0.001f);
        TV a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TW.Fma(a0, b, c); a1 = TW.Fma(a1, b, c); a2 = TW.Fma(a2, b, c); a3 = TW.Fma(a3, b, c);
            a4 = TW.Fma(a4, b, c); a5 = TW.Fma(a5, b, c); a6 = TW.Fma(a6, b, c); a7 = TW.Fma(a7, b, c);
            a8 = TW.Fma(a8, b, c); a9 = TW.Fma(a9, b, c); a10 = TW.Fma(a10, b, c); a11 = TW.Fma(a11, b, c);
        }
        // Summed without a call, which would make the JIT keep the chains in memory (no vector register survives a call).
        a0 = TW.Fma(a0, b, a1); a2 = TW.Fma(a2, b, a3); a4 = TW.Fma(a4, b, a5); a6 = TW.Fma(a6, b, a7); a8 = TW.Fma(a8, b, a9); a10 = TW.Fma(a10, b, a11);
        return TW.Fma(TW.Fma(TW.Fma(a0, b, a2), b, TW.Fma(a4, b, a6)), b, TW.Fma(a8, b, a10));
    }

    /// <summary>Where the chains' result goes, so the JIT cannot drop them.</summary>
    private static class Sink<TV>
    {
        public static TV? Value;
    }

    /// <summary>One vector width (a struct, so each width gets its own specialised, inlined loop).</summary>
    private interface IWidth<TV> where TV : struct
    {
        static abstract TV Create(float value);
        static abstract TV Fma(TV a, TV b, TV c);
    }

    private readonly struct W256 : IWidth<Vector256<float>>
    {
        public static Vector256<float> Create(float value) => Vector256.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    }

    private readonly struct W512 : IWidth<Vector512<float>>
    {
        public static Vector512<float> Create(float value) => Vector512.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    }
}
