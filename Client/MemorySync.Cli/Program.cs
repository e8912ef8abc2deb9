using MemorySync.Cli;

return await CliApplication.RunAsync(args, Console.Out, Console.Error);
