using MemorySync.Silo;
using MemorySync.Silo.Api;

// appsettings.json lives next to the program, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMemorySyncSilo().AddMemorySyncAgentApi().AddMemorySyncOperatorPages();
var app = builder.Build();

var startupExitCode = await SiloStartup.PrepareAsync(app);
if (startupExitCode != 0)
{
    return startupExitCode;
}

app.MapMemorySyncEndpoints();
app.MapMemorySyncAgentApi();
await app.RunAsync();
return 0;
