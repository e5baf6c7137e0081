using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>
/// An endpoint that allows anonymous callers (<c>AllowAnonymous()</c>: signing in, a signed download link) declares
/// <c>security: []</c>, overriding the document's global requirement, so Swagger UI shows no lock on it and generated
/// clients send no credentials.
/// </summary>
internal sealed class AnonymousOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
        }
    }
}
