using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>
/// On a query parameter read as text and parsed with <see cref="QueryEnum"/>: the enum it must name, so the document
/// lists the allowed values (the enum's schema) and typed clients get a union instead of any string.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
internal sealed class EnumValuesAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;
}

/// <summary>Documents <see cref="EnumValuesAttribute"/> parameters: one value, or several (an array of the enum).</summary>
internal sealed class EnumQueryParameterFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter is not OpenApiParameter target || context.ParameterInfo?.GetCustomAttribute<EnumValuesAttribute>() is not { } values)
        {
            return;
        }

        var enumSchema = context.SchemaGenerator.GenerateSchema(values.EnumType, context.SchemaRepository);
        target.Schema = target.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Array)
            ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = enumSchema }
            : enumSchema;
    }
}
