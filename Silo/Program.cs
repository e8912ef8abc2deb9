using MemorySync.Silo;
using MemorySync.Silo.Api;
using MemorySync.Silo.Mcp;

// appsettings.json lives next to the program, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMemorySyncSilo().AddMemorySyncAgentApi().AddMemorySyncMcp().AddMemorySyncOperatorPages();
var app = builder.Build();

var startupExitCode = await SiloStartup.PrepareAsync(app);
if (startupExitCode != 0)
{
    return startupExitCode;
}

app.MapMemorySyncEndpoints();
app.MapMemorySyncAgentApi();
app.MapMemorySyncMcp();
await app.RunAsync();
return 0;
