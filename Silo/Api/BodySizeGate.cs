using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Api;

/// <summary>
/// Refuses a body that says it is larger than <c>Api:MaxBodyBytes</c> with a 413 problem before reading any of it.
/// (Kestrel would refuse it too, but with an empty answer; a chunked body that grows past the bound is refused by
/// Kestrel while it is read, and <see cref="ApiFailures"/> answers that one.)
/// </summary>
internal sealed class BodySizeGate(RequestDelegate next, IOptions<ApiOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxBodyBytes;
        return context.Request.ContentLength > limit
            ? ApiProblemResults.WriteAsync(context, ApiFailures.TooLarge(limit))
            : next(context);
    }
}
