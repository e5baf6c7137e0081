using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>Endpoint metadata: a tag and what it groups, so the document describes every tag where the tag is given.</summary>
internal sealed record TagDescription(string Name, string Description);

internal static class TagDescriptionExtensions
{
    /// <summary><c>WithTags(name)</c> plus the tag's description for the OpenAPI document (a tag without one fails the OpenAPI tests).</summary>
    public static TBuilder WithTag<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithTags(name).WithMetadata(new TagDescription(name, description));
}

/// <summary>Gives each tag of the document the description its endpoints declare.</summary>
internal sealed class TagDescriptionsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var descriptions = context.ApiDescriptions
            .SelectMany(api => api.ActionDescriptor.EndpointMetadata.OfType<TagDescription>())
            .GroupBy(tag => tag.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First().Description, StringComparer.Ordinal);
        foreach (var tag in swaggerDoc.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && descriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }
    }
}
