using System;
using NnGen.Tests.Numerics;

namespace NnGen.Tests;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off): <c>kernel-check</c> runs the
/// generated-kernel agreement checks in a fresh process, so a test can run them with the portable path forced.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["kernel-check"] => KernelAgreement.RunAll(Console.Out),
        ["conv-check"] => ConvCases.RunAll(Console.Out),
        ["train-history"] => KernelAgreement.PrintTrainingHistory(Console.Out),
        ["dense-kernel-check"] => DenseKernelCheck.Run(Console.Out),
        ["check-timings"] => Training.CheckTimings.Run(Console.Out),
        _ => 0,
    };
}
