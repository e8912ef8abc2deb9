using MemorySync.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddMemorySyncSilo();
var app = builder.Build();

var startupExitCode = await SiloStartup.PrepareAsync(app);
if (startupExitCode != 0)
{
    return startupExitCode;
}

app.MapMemorySyncEndpoints();
await app.RunAsync();
return 0;
