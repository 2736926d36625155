using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NnGen.Kernels;

/// <summary>
/// Detects one network instance used from two threads at once. Every generated entry point that works in the
/// instance's buffers or parameters (<c>Predict</c>, <c>ComputeGradients</c>, <c>ComputeLoss</c>, <c>InitializeWeights</c>)
/// calls <see cref="Enter"/> first and <see cref="Exit"/> in a <c>finally</c>: a call that arrives while another thread
/// is inside one throws <see cref="InvalidOperationException"/> before it touches anything, instead of both calls
/// silently computing on each other's buffers. One interlocked compare-exchange and one volatile write per call.
/// </summary>
/// <remarks>
/// The guard records the thread inside, so a call made on that same thread from within an entry point (an
/// optimizer's <c>Reset</c> that predicts, say) is let through rather than mistaken for another thread.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct ConcurrentUseGuard
{
    private int _owner; // managed thread ID of the thread inside an entry point; 0 when none is

    /// <summary>
    /// Marks the instance in use by the calling thread; throws when another thread has it.
    /// Returns what <see cref="Exit"/> must restore: 0, or the calling thread's ID for a nested call.
    /// </summary>
    /// <param name="network">The network's type name, for the message.</param>
    /// <param name="entryPoint">The member being called, for the message.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Enter(string network, string entryPoint)
    {
        int thread = Environment.CurrentManagedThreadId;
        int owner = Interlocked.CompareExchange(ref _owner, thread, 0);
        if (owner != 0 && owner != thread) ThrowInUse(network, entryPoint);
        return owner;
    }

    /// <summary>Ends the call that <see cref="Enter"/> began; <paramref name="previous"/> is what it returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit(int previous) => Volatile.Write(ref _owner, previous);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInUse(string network, string entryPoint) =>
        throw new InvalidOperationException(
            $"{network} is already in use on another thread ({entryPoint} was called meanwhile): a network instance owns its buffers; " +
            "use one instance per thread, or lock around the calls.");
}
