using BenchmarkDotNet.Running;
using NnGen.Benchmarks;

if (args is ["quick", ..]) { Quick.Run(args.Length > 1 ? args[1] : null); return; }
if (args is ["scaling" or "scaling-child" or "scaling-memory", ..]) { Scaling.Run(args); return; }
if (args is ["onnx" or "onnx-child", ..]) { OnnxRuntimeComparison.Run(args); return; }
if (args is ["rnn", ..]) { Recurrent.Run(args); return; }
if (args is ["peak"]) { Peak.Run(); return; }
if (args is ["overhead", ..]) { Overhead.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40); return; }
BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
