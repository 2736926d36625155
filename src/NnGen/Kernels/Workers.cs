using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NnGen.Kernels;

/// <summary>Work that can be split into parts, each run on its own core (implemented by generated networks and the optimizers).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of task <paramref name="task"/>.</summary>
    void Execute(int task, int part, int parts);
}

/// <summary>
/// A fork-join pool sized to the machine's cores (at most <see cref="MaxThreads"/>), made for the many short parallel
/// sections of a training step. A section is cut into <see cref="PartsPerThread"/> part per thread, and every thread,
/// the caller first, claims the next unclaimed part until none is left, so a worker the operating system has not
/// scheduled simply claims nothing and the caller runs its share. Workers spin briefly between sections before they
/// sleep, so a hand-off costs well under a microsecond while training and nothing when idle. Allocation-free.
/// <c>NNGEN_THREADS=1</c> (or any count) overrides the thread count.
/// </summary>
/// <remarks>
/// <para>One parallel section runs at a time. A call made while another thread's section is running (say, two networks
/// trained on two threads) simply runs all its parts on the calling thread, so callers never oversubscribe the cores.</para>
/// <para>A part a worker has claimed must still be waited for. When that wait is long against the section's own pace
/// (the worker was descheduled mid-part: another process holds its core), the pool runs the following sections on the
/// caller alone for a while (<see cref="StallPolicy"/>), 2 ms at first, doubling up to 250 ms while stalls keep coming
/// within a second of each other, so a busy machine costs about what one thread costs instead of a scheduler time slice
/// per section.</para>
/// <para>Results do not depend on which thread runs a part or on how many parts there are: every caller's kernels
/// compute each number by the same instructions whatever range they are given.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Workers
{
    /// <summary>Upper bound on threads used (the machine this was tuned on has 2 cores).</summary>
    public const int MaxThreads = 8;

    /// <summary>
    /// Multiply-adds below which a generated kernel runs on the calling thread. A section costs about 2 us of hand-off
    /// and join on the 2-core VM (inferred from the sweep below), so it pays from about 10 us of one core's work: the
    /// `scaling` benchmark found two threads at 0.5-0.75x of one on sections of 262,144 multiply-adds, level at about a
    /// million, ahead from four million (docs/benchmarks.md#how-cost-grows); 1 &lt;&lt; 15 before 2026-12-03.
    /// </summary>
    public const int MinParallelWork = 1 << 19;

    /// <summary>
    /// Parts per thread in a section. One: more parts would cut the kernels' ranges below their register tiles (two
    /// per thread tripled the convnet's training step), and the caller already takes any part a late worker has not claimed.
    /// </summary>
    public const int PartsPerThread = 1;

    /// <summary>Threads a parallel section uses, the caller included.</summary>
    public static readonly int Count = ChooseCount();

    private static readonly object Gate = new();
    private static readonly Worker[] Pool = CreatePool();
    private static IParallelWork? _work;
    private static int _task, _done;
    private static int _generation;
    /// <summary>The section being claimed: generation (high 32 bits), its parts (next 16) and the next part to claim (low 16).</summary>
    private static long _state;
    private static ExceptionDispatchInfo? _failure;
    private static StallPolicy _policy = StallPolicy.Initial;
    private static long _stalls;

    /// <summary>Sections whose join waited long for a descheduled worker, since the process started (each one starts a spell of serial sections).</summary>
    public static long Stalls => Interlocked.Read(ref _stalls);

    private static int ChooseCount()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("NNGEN_THREADS"), out int n) && n >= 1) return Math.Min(n, MaxThreads);
        return Math.Clamp(Environment.ProcessorCount, 1, MaxThreads);
    }

    private static Worker[] CreatePool()
    {
        var pool = new Worker[Count - 1];
        for (int i = 0; i < pool.Length; i++) pool[i] = new Worker(i + 1);
        return pool;
    }

    /// <summary>The range [from, to) of part <paramref name="part"/> when <paramref name="n"/> items are split into <paramref name="parts"/> runs of whole <paramref name="align"/>-item blocks.</summary>
    public static (int From, int To) Partition(int part, int parts, int n, int align)
    {
        int blocks = (n + align - 1) / align;
        int from = (int)((long)blocks * part / parts) * align;
        int to = (int)((long)blocks * (part + 1) / parts) * align;
        return (Math.Min(from, n), Math.Min(to, n));
    }

    /// <summary>Runs every part of <paramref name="task"/> and returns when all are done; rethrows the first exception of any part.</summary>
    public static void Run(IParallelWork work, int task)
    {
        if (Pool.Length == 0 || !Monitor.TryEnter(Gate))
        {
            work.Execute(task, 0, 1);
            return;
        }
        try
        {
            long start = Stopwatch.GetTimestamp();
            if (_policy.Serial(start))
            {
                work.Execute(task, 0, 1);
                return;
            }
            int parts = Count * PartsPerThread;
            _work = work;
            _task = task;
            _failure = null;
            _done = 0;
            // The claim state first, then the generation the workers watch, so a worker that sees the new generation
            // finds its parts.
            int generation = _generation + 1;
            Volatile.Write(ref _state, (long)generation << 32 | (long)parts << 16);
            Volatile.Write(ref _generation, generation);
            foreach (Worker worker in Pool) worker.WakeIfSleeping();
            int mine = 0;
            while (TryClaim(generation, out int part))
            {
                Execute(work, task, part);
                mine++;
            }
            // Every part is claimed now; wait for those the workers took.
            long joined = Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (Volatile.Read(ref _done) < parts - mine) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            long end = Stopwatch.GetTimestamp();
            if (_policy.Record(end - joined, mine == 0 ? end - start : (joined - start) / mine, end)) Interlocked.Increment(ref _stalls);
            _failure?.Throw();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Claims the next part of section <paramref name="generation"/>, if it is still the current one and has a part left.</summary>
    private static bool TryClaim(int generation, out int part)
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            part = (int)(state & 0xFFFF);
            int parts = (int)(state >> 16 & 0xFFFF);
            if ((int)(state >> 32) != generation || part >= parts) return false;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state) return true;
        }
    }

    /// <summary>Runs one part, keeping the first exception of the section for the caller (the others still run).</summary>
    private static void Execute(IParallelWork work, int task, int part)
    {
        try
        {
            work.Execute(task, part, Count * PartsPerThread);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    /// <summary><see cref="TimeSpan"/> in <see cref="Stopwatch"/> ticks.</summary>
    internal static long Timestamps(TimeSpan time) => (long)(time.TotalSeconds * Stopwatch.Frequency);

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
        private int _sleeping;

        public Worker(int index) => new Thread(Loop) { IsBackground = true, Name = $"NnGen worker {index}" }.Start();

        public void WakeIfSleeping()
        {
            if (Interlocked.CompareExchange(ref _sleeping, 0, 0) == 1) _wake.Set();
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                // Spin for about a millisecond: the next section of a training step comes within microseconds.
                for (int i = 0; i < 20_000 && Volatile.Read(ref _generation) == seen; i++) Thread.SpinWait(8);
                if (Volatile.Read(ref _generation) == seen)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _generation) == seen) _wake.Wait();
                    _wake.Reset();
                    Interlocked.Exchange(ref _sleeping, 0);
                    continue;
                }
                seen = Volatile.Read(ref _generation);
                // _work and _task are read only after a successful claim: the section cannot end, and they cannot
                // change, before the claimed part is counted done.
                while (TryClaim(seen, out int part))
                {
                    Execute(_work!, _task, part);
                    Interlocked.Increment(ref _done);
                }
            }
        }
    }
}

/// <summary>
/// When to run parallel sections serially. A join that waited more than twice a part's own time, and more than
/// <see cref="MinStall"/> (500 us: a descheduled worker costs a scheduler time slice, a millisecond or more; at 20 us a
/// quiet machine's hiccups counted as stalls several times a second and kept two threads serial), is a stall: the next <see cref="Penalty"/> of sections run on the caller alone, and each stall
/// within <see cref="Forgiveness"/> of the one before doubles the penalty (from <see cref="MinPenalty"/> up to
/// <see cref="MaxPenalty"/>), so a machine that stays busy soon costs one probe per quarter second; once
/// <see cref="Forgiveness"/> has passed without a stall, the penalty is back to its minimum. Times in
/// <see cref="Stopwatch"/> ticks.
/// </summary>
internal struct StallPolicy
{
    public static readonly long MinStall = Workers.Timestamps(TimeSpan.FromMicroseconds(500));
    public static readonly long MinPenalty = Workers.Timestamps(TimeSpan.FromMilliseconds(2));
    public static readonly long MaxPenalty = Workers.Timestamps(TimeSpan.FromMilliseconds(250));
    public static readonly long Forgiveness = Workers.Timestamps(TimeSpan.FromSeconds(1));

    /// <summary>Until this time, sections run serially.</summary>
    public long SerialUntil;

    /// <summary>The serial spell the next stall starts.</summary>
    public long Penalty;

    /// <summary>When the last stall was recorded.</summary>
    public long LastStall;

    public static StallPolicy Initial => new() { Penalty = MinPenalty, LastStall = long.MinValue / 2 };

    /// <summary>Whether a section starting at <paramref name="now"/> runs on the caller alone.</summary>
    public readonly bool Serial(long now) => now < SerialUntil;

    /// <summary>Takes a parallel section's join: its wait for the workers and the time one part took; returns whether it was a stall.</summary>
    public bool Record(long wait, long perPart, long now)
    {
        if (wait > 2 * perPart && wait > MinStall)
        {
            if (now - LastStall > Forgiveness) Penalty = MinPenalty;
            SerialUntil = now + Penalty;
            Penalty = Math.Min(2 * Penalty, MaxPenalty);
            LastStall = now;
            return true;
        }
        return false;
    }
}
