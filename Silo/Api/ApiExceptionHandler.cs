using Microsoft.AspNetCore.Diagnostics;

namespace MemorySync.Silo.Api;

/// <summary>Answers every failure of an HTTP agent call as problem+json (docs/agent-api.md, "Errors").</summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ApiFailures.ToProblem(exception);
        if (problem is null)
        {
            ApiLog.UnexpectedFailure(logger, exception, context.Request.Method, context.Request.Path);
            problem = new ApiProblemException(StatusCodes.Status500InternalServerError, "internal", "Internal error",
                "the silo failed to answer; its log says why");
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = ApiFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ApiProblemResults.WriteAsync(context, problem);
        return true;
    }
}
