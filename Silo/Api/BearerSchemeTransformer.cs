using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MemorySync.Silo.Api;

/// <summary>Declares the API key as the OpenAPI document's bearer scheme, required by every route.</summary>
internal sealed class BearerSchemeTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "MemorySync agent API";
        document.Info.Description = "Memories for AI agents, consistent across PostgreSQL, Redis and FAISS. Every route needs " +
            "'Authorization: Bearer <key>' (memsync keys create); errors are RFC 9457 problem+json. See docs/agent-api.md.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "msk_<key_id>_<secret>",
            Description = "An API key from 'memsync keys create': its scope (read, write, admin) and agents bound every call.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
