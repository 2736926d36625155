using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using NnGen.Tests.Docs;

namespace NnGen.Tests.EndToEnd;

/// <summary>A fact skipped, with the reason, where a NativeAOT publish for linux-x64 with AVX2 cannot run.</summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            Skip = "The NativeAOT check publishes for linux-x64 and runs the result; this is not a linux-x64 machine.";
        else if (!Avx2.IsSupported || !Fma.IsSupported)
            Skip = "The package's default AOT instruction set (x86-64-v3) needs AVX2 and FMA, which this CPU lacks.";
    }
}

/// <summary>
/// eng/aot-check.sh with QUICK=1, as a user meets NativeAOT: packs NnGen, publishes a fresh app outside the repository
/// with PublishAot and no instruction set of its own, runs it, and requires the SIMD kernels (not the portable scalar
/// path) and the JIT build's predictions after three training steps of the seed MLP and the simple convnet.
/// </summary>
public class NativeAotTests
{
    [NativeAotFact]
    public void A_default_NativeAOT_publish_runs_the_SIMD_kernels_and_agrees_with_the_JIT()
    {
        string work = Path.Combine(Path.GetTempPath(), $"nngen-aot-test-{Guid.NewGuid():N}");
        try
        {
            var start = new ProcessStartInfo("bash") { ArgumentList = { Repository.PathOf("eng/aot-check.sh"), work }, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["QUICK"] = "1";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "eng/aot-check.sh took more than ten minutes");
            string report = $"{output}\n{stderr.Result}";
            Assert.True(process.ExitCode == 0, report);
            Assert.Contains("== aot-default\nsimd Vector256_+_FMA", output);
            Assert.Contains("aot-default: largest difference from the JIT's predictions", output);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
