using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>
/// Every problem the API answers carries <c>type</c>, <c>title</c>, <c>status</c> and a stable <c>code</c> (the exception
/// handler and the status code pages see to it), so the problem schemas say so; clients switch on <c>code</c>.
/// </summary>
internal sealed class ProblemSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || context.Type is null || !typeof(ProblemDetails).IsAssignableFrom(context.Type))
        {
            return;
        }

        target.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        target.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Stable, machine-readable reason (e.g. 'validation_failed', 'not_found', 'export_in_progress'); never translated. Each response lists the codes it can carry.",
        };
        target.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var always in new[] { "type", "title", "status", "code" })
        {
            target.Required.Add(always);
            if (target.Properties.TryGetValue(always, out var property) && property is OpenApiSchema { Type: { } kind } inline)
            {
                inline.Type = kind & ~JsonSchemaType.Null;
            }
        }

        if (target.Properties.ContainsKey("errors"))
        {
            target.Required.Add("errors");
        }
    }
}
