using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>
/// A multipart body documents its fields once: a query parameter that the form also names (an upload's <c>dryRun</c>,
/// which the endpoint accepts either way) is left out of the operation's parameters, so generated clients get one
/// argument per field instead of two of the same name, and Swagger UI shows it beside the file picker.
/// </summary>
internal sealed class MultipartFormOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content || !content.TryGetValue("multipart/form-data", out var form) || operation.Parameters is null)
        {
            return;
        }

        var fields = Properties(form.Schema, context.SchemaRepository);
        foreach (var duplicate in operation.Parameters.Where(p => p.In == ParameterLocation.Query && p.Name is { } name && fields.Contains(name)).ToList())
        {
            operation.Parameters.Remove(duplicate);
        }
    }

    private static HashSet<string> Properties(IOpenApiSchema? schema, SchemaRepository repository)
    {
        var resolved = schema is OpenApiSchemaReference { Reference.Id: { } id } && repository.Schemas.TryGetValue(id, out var target) ? target : schema;
        return resolved?.Properties?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
    }
}
