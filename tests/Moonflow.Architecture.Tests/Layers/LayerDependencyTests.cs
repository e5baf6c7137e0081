using Moonflow.Architecture.Tests.Support;
using NetArchTest.Rules;

namespace Moonflow.Architecture.Tests.Layers;

public sealed class LayerDependencyTests
{
    [Fact]
    public void Domain_WhenCompiled_DependsOnNoOtherMoonflowLayer()
    {
        var result = Types.InAssembly(Assemblies.Domain)
            .ShouldNot().HaveDependencyOnAny("Moonflow.Application", "Moonflow.Infrastructure", "Moonflow.Api")
            .GetResult();

        ArchAssert.Passes(result, "The domain must not know the layers built on it");
    }

    [Fact]
    public void Domain_WhenCompiled_DependsOnNoPackage()
    {
        var result = Types.InAssembly(Assemblies.Domain)
            .ShouldNot().HaveDependencyOnAny(
                "MediatR", "FluentValidation", "AutoMapper", "Microsoft.EntityFrameworkCore", "Npgsql", "Hangfire", "OfficeOpenXml",
                "Microsoft.AspNetCore", "Microsoft.Extensions")
            .GetResult();

        ArchAssert.Passes(result, "The domain is plain .NET: no package namespaces");
    }

    [Fact]
    public void Application_WhenCompiled_DependsOnNoInfrastructureApiOrPersistencePackage()
    {
        var result = Types.InAssembly(Assemblies.Application)
            .ShouldNot().HaveDependencyOnAny(
                "Moonflow.Infrastructure", "Moonflow.Api", "Microsoft.EntityFrameworkCore", "Npgsql", "Hangfire", "OfficeOpenXml",
                "Microsoft.AspNetCore")
            .GetResult();

        ArchAssert.Passes(result, "Use cases talk to ports, never to adapters, EF Core, the job engine or HTTP");
    }

    [Fact]
    public void Infrastructure_WhenCompiled_DoesNotDependOnTheApi()
    {
        var result = Types.InAssembly(Assemblies.Infrastructure).ShouldNot().HaveDependencyOn("Moonflow.Api").GetResult();

        ArchAssert.Passes(result, "Adapters must not reach into the HTTP layer");
    }

    [Fact]
    public void Api_WhenCompiled_NeverSendsTheCommandsOnlyJobsMaySend()
    {
        // These commands declare no permission (a job runs what a user was already allowed to start),
        // so an endpoint sending one would let any signed-in caller run, fail or purge processes.
        var result = Types.InAssembly(Assemblies.Api).ShouldNot().HaveDependencyOnAny(JobCommands.FullNames).GetResult();

        ArchAssert.Passes(result, "Only background jobs may send job commands");
    }
}
