using System;
using NnGen.Cli;

return App.Run(args, Console.Out, Console.Error);
