using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Architecture.Tests.Support;

namespace Moonflow.Architecture.Tests.Application;

public sealed class UseCaseConventionTests
{
    /// <summary>Requests allowed to declare nothing: <c>/me</c> (any signed-in caller) and the commands jobs send.</summary>
    private static readonly string[] NoDeclarationNeeded = ["Moonflow.Application.Identity.GetMe.GetMeQuery", .. JobCommands.FullNames];

    /// <summary>How a request says who may send it; the authorization behaviour reads these.</summary>
    private static readonly Type[] Declarations =
        [typeof(RequiresPermissionAttribute), typeof(AllowAnonymousRequestAttribute), typeof(AnySignedInCallerAttribute)];

    private static readonly string[] RequestSuffixes = ["Command", "Query"];

    private static IEnumerable<Type> ConcreteTypes => Assemblies.Application.WrittenTypes().Where(t => t is { IsClass: true, IsAbstract: false });

    private static IEnumerable<Type> Requests => ConcreteTypes.Where(t => typeof(IBaseRequest).IsAssignableFrom(t));

    private static IEnumerable<(Type Handler, Type Request)> Handlers =>
        from type in ConcreteTypes
        from contract in type.GetInterfaces()
        where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)
        select (type, contract.GetGenericArguments()[0]);

    private static IEnumerable<(Type Validator, Type Validated)> Validators =>
        from type in ConcreteTypes
        from contract in type.GetInterfaces()
        where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IValidator<>)
        select (type, contract.GetGenericArguments()[0]);

    [Fact]
    public void Application_WhenScanned_FindsTheUseCases()
    {
        Assert.True(Requests.Count() >= 15, "The scan found too few requests; the conventions below would pass vacuously.");
        Assert.True(Handlers.Count() >= 15, "The scan found too few handlers; the conventions below would pass vacuously.");
        Assert.All(NoDeclarationNeeded, name => Assert.Contains(name, Requests.Select(r => r.FullName)));
    }

    [Fact]
    public void Handlers_WhenCompiled_AreSealed()
    {
        var offenders = Handlers.Select(h => h.Handler).Distinct().Where(t => !t.IsSealed).Select(t => t.FullName!);

        ArchAssert.NoOffenders(offenders, "Request handlers must be sealed");
    }

    [Fact]
    public void Requests_WhenCompiled_DeclareWhoMaySendThem()
    {
        var offenders = Requests
            .Where(t => !NoDeclarationNeeded.Contains(t.FullName))
            .Where(t => !Declarations.Any(d => t.IsDefined(d, inherit: true)))
            .Select(t => t.FullName!);

        ArchAssert.NoOffenders(
            offenders, "Every request declares [RequiresPermission], [AllowAnonymousRequest] or [AnySignedInCaller]; these declare none");
    }

    [Fact]
    public void Requests_WhenCompiled_DeclareOnlyOneKindOfAccess()
    {
        var offenders = Requests
            .Where(t => Declarations.Count(d => t.IsDefined(d, inherit: true)) > 1)
            .Select(t => t.FullName!);

        // An anonymous request passes the authorization behaviour before its permissions are looked at.
        ArchAssert.NoOffenders(offenders, "These requests mix anonymous, any-caller and permission declarations");
    }

    [Fact]
    public void JobCommands_WhenCompiled_AreNotAnonymous()
    {
        var offenders = Requests
            .Where(t => JobCommands.FullNames.Contains(t.FullName) && t.IsDefined(typeof(AllowAnonymousRequestAttribute), inherit: true))
            .Select(t => t.FullName!);

        ArchAssert.NoOffenders(offenders, "Job commands run as the system, never for an anonymous caller");
    }

    [Fact]
    public void Requests_WhenCompiled_RequireOnlyKnownPermissions()
    {
        var offenders =
            from request in Requests
            from attribute in request.GetCustomAttributes(typeof(RequiresPermissionAttribute), inherit: true).Cast<RequiresPermissionAttribute>()
            where !Moonflow.Domain.Identity.Permissions.All.Contains(attribute.Permission)
            select $"{request.FullName} requires '{attribute.Permission}'";

        ArchAssert.NoOffenders(offenders, "A request requiring an unknown permission can never be sent");
    }

    [Fact]
    public void Requests_WhenCompiled_EachLiveInTheFolderOfTheirUseCase()
    {
        var offenders =
            from request in Requests
            let suffix = RequestSuffixes.FirstOrDefault(s => request.Name.EndsWith(s, StringComparison.Ordinal))
            where suffix is not null
            let useCase = request.Name[..^suffix.Length]
            where request.Namespace?.Split('.')[^1] != useCase
            select $"{request.FullName} (expected namespace ending in .{useCase})";

        ArchAssert.NoOffenders(offenders, "One folder per use case: each *Command/*Query lives in a namespace named after it");
    }

    [Fact]
    public void Requests_WhenCompiled_AreNamedAsCommandsOrQueries()
    {
        var offenders = Requests
            .Where(t => !RequestSuffixes.Any(s => t.Name.EndsWith(s, StringComparison.Ordinal)))
            .Select(t => t.FullName!);

        ArchAssert.NoOffenders(offenders, "Request types end in Command or Query");
    }

    [Fact]
    public void Handlers_WhenCompiled_LiveBesideTheirRequestAndAreNamedAfterIt()
    {
        var offenders = Handlers
            .Where(h => h.Handler.Namespace != h.Request.Namespace || h.Handler.Name != h.Request.Name + "Handler")
            .Select(h => $"{h.Handler.FullName} handles {h.Request.FullName}");

        ArchAssert.NoOffenders(offenders, "A handler is {Request}Handler in its request's folder");
    }

    [Fact]
    public void Validators_WhenCompiled_LiveBesideTheirRequestAndAreNamedAfterIt()
    {
        var offenders = Validators
            .Where(v => typeof(IBaseRequest).IsAssignableFrom(v.Validated))
            .Where(v => v.Validator.Namespace != v.Validated.Namespace || v.Validator.Name != v.Validated.Name + "Validator")
            .Select(v => $"{v.Validator.FullName} validates {v.Validated.FullName}");

        ArchAssert.NoOffenders(offenders, "A validator is {Request}Validator in its request's folder");
    }

    [Fact]
    public void Requests_WhenCompiled_HaveExactlyOneHandler()
    {
        var handled = Handlers.GroupBy(h => h.Request).ToDictionary(g => g.Key, g => g.Count());
        var offenders = Requests
            .Where(r => handled.GetValueOrDefault(r) != 1)
            .Select(r => $"{r.FullName} has {handled.GetValueOrDefault(r)} handlers");

        ArchAssert.NoOffenders(offenders, "The mediator needs exactly one handler per request");
    }
}
