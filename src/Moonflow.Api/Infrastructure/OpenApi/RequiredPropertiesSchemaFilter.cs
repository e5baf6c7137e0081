using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>
/// Lists as <c>required</c> what a client can count on, so generated types need no assertions:
/// <list type="bullet">
/// <item>a request body (a type with a FluentValidation validator, its own or the command's named by
/// <see cref="ValidatedAsAttribute"/>): the properties the validator refuses to see missing (<c>NotNull</c>, <c>NotEmpty</c>
/// without a condition), which are then not nullable either;</item>
/// <item>anything else (answers): every property whose CLR type is not nullable, as it is always written.</item>
/// </list>
/// Properties that are not required and whose CLR type is nullable are marked nullable, references included.
/// </summary>
internal sealed class RequiredPropertiesSchemaFilter(IServiceScopeFactory scopes) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type is not { IsClass: true } type || context.Type == typeof(string))
        {
            return;
        }

        var validated = ValidatorRequiredProperties(type);
        foreach (var (name, property) in target.Properties!.ToList())
        {
            var clr = ClrProperty(type, name);
            var required = validated?.Contains(name) ?? (clr is not null && !IsNullable(clr));
            if (!required)
            {
                // A reference cannot carry 'nullable' beside '$ref' in OpenAPI 3.0: a nullable enum or object is wrapped
                // in allOf (with the referenced type, which 'nullable' needs beside it), so generated types say "or null".
                if (clr is not null && IsNullable(clr) && property is OpenApiSchemaReference { Reference.Id: { } id } reference
                    && context.SchemaRepository.Schemas.TryGetValue(id, out var referenced) && referenced.Type is { } referencedType)
                {
                    target.Properties[name] = new OpenApiSchema { AllOf = [reference], Type = referencedType | JsonSchemaType.Null };
                }

                continue;
            }

            target.Required ??= new HashSet<string>(StringComparer.Ordinal);
            target.Required.Add(name);
            if (validated is not null && property is OpenApiSchema { Type: { } kind } inline && kind.HasFlag(JsonSchemaType.Null))
            {
                inline.Type = kind & ~JsonSchemaType.Null;
            }
        }
    }

    /// <summary>The JSON names a validator requires, or null when the type has no validator (it is not a request body).</summary>
    private HashSet<string>? ValidatorRequiredProperties(Type type)
    {
        var link = type.GetCustomAttribute<ValidatedAsAttribute>();
        var validatedType = link?.Command ?? type;
        using var scope = scopes.CreateScope();
        var validators = scope.ServiceProvider.GetServices(typeof(IValidator<>).MakeGenericType(validatedType)).OfType<IValidator>().ToList();
        if (validators.Count == 0)
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in validators.SelectMany(v => v.CreateDescriptor().Rules))
        {
            if (rule.HasCondition || rule.HasAsyncCondition || rule.PropertyName is not { Length: > 0 } path || IsCollectionRule(rule)
                || !rule.Components.Any(c => !c.HasCondition && !c.HasAsyncCondition && c.Validator is INotNullValidator or INotEmptyValidator))
            {
                continue;
            }

            // A body flattened from its command (ValidatedAs) matches the command's rules by the last name of their path;
            // a type's own validator, only by its top-level properties.
            var segments = path.Split('.');
            if (link is not null || segments.Length == 1)
            {
                names.Add(JsonNamingPolicy.CamelCase.ConvertName(segments[^1]));
            }
        }

        return names;
    }

    private static bool IsCollectionRule(IValidationRule rule) =>
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    private static PropertyInfo? ClrProperty(Type type, string jsonName) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
            (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name)) == jsonName);

    private static bool IsNullable(PropertyInfo property) =>
        property.PropertyType.IsValueType
            ? Nullable.GetUnderlyingType(property.PropertyType) is not null
            : new NullabilityInfoContext().Create(property).ReadState != NullabilityState.NotNull;
}

/// <summary>
/// On an Api body that the endpoint turns into a command: the command's validator is the body's, so the OpenAPI document
/// marks as required what that validator requires (matched by property name).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ValidatedAsAttribute(Type command) : Attribute
{
    public Type Command { get; } = command;
}
