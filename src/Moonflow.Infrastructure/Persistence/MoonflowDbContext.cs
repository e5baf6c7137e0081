using System.Text;
using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Common;

namespace Moonflow.Infrastructure.Persistence;

/// <summary>
/// One database, one schema per module. Every tenant-owned entity is filtered by the caller's tenant, so a
/// query can never see another tenant's rows unless it opts out explicitly (sign-in, system jobs).
/// </summary>
public sealed class MoonflowDbContext(DbContextOptions<MoonflowDbContext> options, ICurrentUser currentUser) : DbContext(options)
{
    internal Guid CurrentTenantId => currentUser.TenantId;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MoonflowDbContext).Assembly);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType) && entity.FindOwnership() is null)
            {
                ApplyTenantFilter(modelBuilder, entity.ClrType);
            }

            foreach (var property in entity.GetProperties())
            {
                if (property.ClrType.IsEnum || Nullable.GetUnderlyingType(property.ClrType)?.IsEnum == true)
                {
                    // Enums are stored by name: readable in SQL, stable when members are added.
                    property.SetProviderClrType(typeof(string));
                    property.SetMaxLength(64);
                }
            }
        }

        ApplySnakeCaseNames(modelBuilder);
    }

    private void ApplyTenantFilter(ModelBuilder modelBuilder, Type clrType)
    {
        var method = typeof(MoonflowDbContext).GetMethod(nameof(TenantFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(clrType);
        method.Invoke(this, [modelBuilder]);
    }

    private void TenantFilter<T>(ModelBuilder modelBuilder)
        where T : class, ITenantOwned =>
        modelBuilder.Entity<T>().HasQueryFilter(e => e.TenantId == CurrentTenantId);

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.FindOwnership() is null || entity.GetTableName() != entity.FindOwnership()!.PrincipalEntityType.GetTableName())
            {
                entity.SetTableName(SnakeCase(entity.GetTableName()!));
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.GetColumnName()));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            if (char.IsUpper(c))
            {
                if (i > 0 && builder.Length > 0 && builder[^1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString().TrimStart('_');
    }
}
