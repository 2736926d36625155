using BenchmarkDotNet.Running;
using NnGen.Benchmarks;

if (args is ["quick"]) { Quick.Run(); return; }
BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
