using System.Reflection;
using Moonflow.Domain.Common;

namespace Moonflow.Api.Infrastructure;

/// <summary>
/// Lists whose filters are strict: a query parameter the endpoint does not take is a 400 naming it, never silently
/// ignored (a misspelt <c>baseld</c> would otherwise list every contact). The parameters it takes are read from the
/// handler's own signature, so the list of filters cannot drift from the code.
/// </summary>
internal static class StrictQuery
{
    public static RouteHandlerBuilder WithStrictQuery(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var taken = factory.MethodInfo.GetParameters().Where(p => IsQueryValue(p.ParameterType)).Select(p => p.Name!)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            return invocation =>
            {
                var unknown = invocation.HttpContext.Request.Query.Keys.Where(key => !taken.Contains(key)).ToList();
                if (unknown.Count > 0)
                {
                    throw new DomainValidationException(
                        unknown[0], $"Unknown parameter{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; this list takes: {string.Join(", ", taken.Order())}.");
                }

                return next(invocation);
            };
        });

    private static bool IsQueryValue(Type type)
    {
        var single = type.IsArray ? type.GetElementType()! : Nullable.GetUnderlyingType(type) ?? type;
        return single.IsPrimitive || single.IsEnum || single == typeof(string) || single == typeof(Guid) || single == typeof(DateTimeOffset)
            || single == typeof(DateOnly) || single == typeof(decimal);
    }
}
