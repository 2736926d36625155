using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using NnGen.Kernels;

namespace NnGen.Tests.Numerics;

/// <summary>
/// The worker pool: every part of a section runs exactly once, whichever thread claims it; an exception reaches the
/// caller and the pool goes on working; a worker descheduled mid-part is a stall that sends the following sections to
/// the caller alone; and the stall policy's arithmetic on given times. Other tests use the pool at the same time, so a
/// section may run serially (one part): the checks accept that, and the stall test retries until it gets a parallel one.
/// </summary>
public class WorkersTests
{
    /// <summary>Records each (part, parts) a section runs, and on which thread.</summary>
    private sealed class Recorder : IParallelWork
    {
        public readonly ConcurrentBag<(int Task, int Part, int Parts, int Thread)> Runs = [];
        public Action<int, int>? During;

        public void Execute(int task, int part, int parts)
        {
            Runs.Add((task, part, parts, Environment.CurrentManagedThreadId));
            During?.Invoke(part, parts);
        }
    }

    [Fact]
    public void Every_part_of_a_section_runs_exactly_once()
    {
        // At least 2000 sections, and on until one ran in parallel: a stall elsewhere (another test, a busy machine)
        // can hold the pool serial for up to 250 ms, after which the next section runs in parallel again.
        int parallel = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int section = 0; section < 2000 || (parallel == 0 && Workers.Count > 1 && clock.Elapsed.TotalSeconds < 10); section++)
        {
            var work = new Recorder();
            Workers.Run(work, section);
            var runs = work.Runs.ToArray();
            int parts = runs[0].Parts;
            Assert.True(parts == 1 || parts == Workers.Count * Workers.PartsPerThread, $"section {section}: {parts} parts");
            Assert.Equal(parts, runs.Length);
            Assert.All(runs, r => Assert.Equal((section, parts), (r.Task, r.Parts)));
            Assert.Equal(Enumerable.Range(0, parts), runs.Select(r => r.Part).Order());
            if (parts > 1) parallel++;
        }
        if (Workers.Count > 1) Assert.True(parallel > 0, "no section ran in parallel in 10 s");
    }

    [Fact]
    public void An_exception_in_a_part_reaches_the_caller_after_the_other_parts_ran_and_the_pool_goes_on()
    {
        for (int section = 0; section < 200; section++)
        {
            int failing = section;
            var work = new Recorder { During = (part, parts) => { if (part == failing % parts) throw new InvalidOperationException($"part {part} failed"); } };
            var e = Assert.Throws<InvalidOperationException>(() => Workers.Run(work, 7));
            int parts = work.Runs.First().Parts;
            Assert.Equal($"part {failing % parts} failed", e.Message);
            Assert.Equal(parts, work.Runs.Count);
        }
        var after = new Recorder();
        Workers.Run(after, 1);
        Assert.Equal(after.Runs.First().Parts, after.Runs.Count);
    }

    [Fact]
    public void A_worker_descheduled_mid_part_is_a_stall_and_the_next_sections_run_on_the_caller()
    {
        if (Workers.Count == 1)
        {
            var alone = new Recorder();
            Workers.Run(alone, 0);
            Assert.Equal([(0, 0, 1)], alone.Runs.Select(r => (r.Task, r.Part, r.Parts)));
            return;
        }
        int caller = Environment.CurrentManagedThreadId;
        // Retried for up to 10 s: the pool may be serial for a while (another test's stall) or busy with another test's section.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 0; clock.Elapsed.TotalSeconds < 10; attempt++)
        {
            if (attempt > 0) Thread.Sleep(20);
            long stalls = Workers.Stalls;
            int workerStarted = 0;
            var work = new Recorder
            {
                // A worker's part takes 100 ms (as if its core were taken away); the caller's parts wait, up to a second,
                // until a worker has claimed one, so that the caller does not simply run every part itself.
                During = (_, _) =>
                {
                    if (Environment.CurrentManagedThreadId != caller) { Volatile.Write(ref workerStarted, 1); Thread.Sleep(100); }
                    else SpinWait.SpinUntil(() => Volatile.Read(ref workerStarted) == 1, 1000);
                },
            };
            Workers.Run(work, 0);
            if (work.Runs.First().Parts == 1 || Volatile.Read(ref workerStarted) == 0) continue; // serial: the pool was busy or serial for another test
            Assert.True(Workers.Stalls > stalls, $"a 100 ms wait for a worker was not counted as a stall ({Workers.Stalls} stalls)");
            var next = new Recorder();
            Workers.Run(next, 0);
            Assert.Equal([(0, 0, 1)], next.Runs.Select(r => (r.Task, r.Part, r.Parts)));
            Assert.Equal(caller, next.Runs.Single().Thread);
            return;
        }
        Assert.Fail("no parallel section with a worker's part in 10 s of attempts");
    }

    [Fact]
    public void The_stall_policy_goes_serial_after_a_long_wait_doubles_its_spell_while_stalls_recur_and_forgives_after_a_second()
    {
        long ms = Workers.Timestamps(TimeSpan.FromMilliseconds(1)), us = Workers.Timestamps(TimeSpan.FromMicroseconds(1));
        var policy = StallPolicy.Initial;
        Assert.False(policy.Serial(0));
        // On time: a wait of at most twice the part's time, or under 500 us (a scheduler's time slice is longer, a
        // quiet machine's hiccups shorter), is not a stall.
        Assert.False(policy.Record(wait: 2 * ms, perPart: 1 * ms, now: 0));
        Assert.False(policy.Record(wait: 499 * us, perPart: 1 * us, now: 0));
        Assert.True(StallPolicy.Initial.Record(wait: 501 * us, perPart: 1 * us, now: 0));
        Assert.True(StallPolicy.Initial.Record(wait: 2 * ms + 1, perPart: 1 * ms, now: 0));
        Assert.False(policy.Serial(0));
        // A stall: serial for 2 ms from its end.
        Assert.True(policy.Record(wait: 5 * ms, perPart: 100 * us, now: 10 * ms));
        Assert.True(policy.Serial(10 * ms));
        Assert.True(policy.Serial(12 * ms - 1));
        Assert.False(policy.Serial(12 * ms));
        // On-time joins in between do not shorten the next spell: a stall within a second of the last one doubles it.
        Assert.False(policy.Record(wait: 1 * us, perPart: 100 * us, now: 13 * ms));
        Assert.True(policy.Record(wait: 5 * ms, perPart: 100 * us, now: 20 * ms));
        Assert.True(policy.Serial(24 * ms - 1));
        Assert.False(policy.Serial(24 * ms));
        // Stalls that keep coming double it up to 250 ms.
        long now = 30 * ms;
        for (int i = 0; i < 20; i++, now += 300 * ms) policy.Record(wait: 5 * ms, perPart: 100 * us, now: now);
        Assert.True(policy.Serial(now - 300 * ms + 250 * ms - 1));
        Assert.False(policy.Serial(now - 300 * ms + 250 * ms));
        // A stall more than a second after the last one starts again from 2 ms.
        now += 1001 * ms;
        Assert.True(policy.Record(wait: 5 * ms, perPart: 100 * us, now: now));
        Assert.True(policy.Serial(now + 2 * ms - 1));
        Assert.False(policy.Serial(now + 2 * ms));
    }
}
