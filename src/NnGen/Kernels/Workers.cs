using System;
using System.ComponentModel;
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
/// sections of a training step: the caller runs part 0 itself, the persistent workers run the others, and workers spin
/// briefly between sections before they sleep, so a hand-off costs well under a microsecond while training and nothing
/// when idle. Allocation-free. <c>NNGEN_THREADS=1</c> (or any count) overrides the thread count.
/// </summary>
/// <remarks>
/// One parallel section runs at a time. A call made while another thread's section is running (say, two networks
/// trained on two threads) simply runs all its parts on the calling thread, so callers never oversubscribe the cores.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Workers
{
    /// <summary>Upper bound on threads used (the machine this was tuned on has 2 cores).</summary>
    public const int MaxThreads = 8;

    /// <summary>Multiply-adds below which a generated kernel runs on the calling thread: a hand-off costs about as much as this.</summary>
    public const int MinParallelWork = 1 << 15;

    /// <summary>Threads a parallel section uses, the caller included.</summary>
    public static readonly int Count = ChooseCount();

    private static readonly object Gate = new();
    private static readonly Worker[] Pool = CreatePool();
    private static IParallelWork? _work;
    private static int _task, _pending, _generation;
    private static ExceptionDispatchInfo? _failure;

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
            _work = work;
            _task = task;
            _failure = null;
            Volatile.Write(ref _pending, Pool.Length);
            Interlocked.Increment(ref _generation);
            foreach (Worker worker in Pool) worker.WakeIfSleeping();
            try
            {
                work.Execute(task, 0, Count);
            }
            finally
            {
                var spin = new SpinWait();
                while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
                _work = null;
            }
            _failure?.Throw();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private sealed class Worker
    {
        private readonly int _index;
        private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
        private int _sleeping;

        public Worker(int index)
        {
            _index = index;
            new Thread(Loop) { IsBackground = true, Name = $"NnGen worker {index}" }.Start();
        }

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
                try
                {
                    _work!.Execute(_task, _index, Count);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
