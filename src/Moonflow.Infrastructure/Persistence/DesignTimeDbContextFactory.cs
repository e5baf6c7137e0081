using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Moonflow.Application.Common.Security;

namespace Moonflow.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the API.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MoonflowDbContext>
{
    public MoonflowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MoonflowDbContext>()
            .UseNpgsql(
                Environment.GetEnvironmentVariable("MOONFLOW_DB") ?? "Host=127.0.0.1;Database=moonflow;Username=moonflow",
                npgsql => npgsql.MigrationsHistoryTable("__ef_migrations", "public"))
            .Options,
            new UserContext());
}
