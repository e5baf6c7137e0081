using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace Moonflow.Infrastructure.Idempotency;

/// <summary>The first answer to a request sent with an <c>Idempotency-Key</c>, kept to replay it to retries.</summary>
public sealed class IdempotencyRecord
{
    public Guid TenantId { get; set; }

    public Guid ActorId { get; set; }

    public string Key { get; set; } = string.Empty;

    public string RequestHash { get; set; } = string.Empty;

    /// <summary>Null while the first request is still being handled.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public byte[]? Body { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records", "platform");
        builder.HasKey(r => new { r.TenantId, r.ActorId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(2000);
        builder.HasIndex(r => r.CreatedAt);
    }
}

/// <summary>
/// Claims a key atomically (INSERT … ON CONFLICT DO NOTHING), so two concurrent requests with one key never
/// both run; the loser replays the winner's answer or is told it is still in progress.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private const string Where = "WHERE tenant_id = $1 AND actor_id = $2 AND key = $3";

    /// <summary>Returns null when this call claimed the key; otherwise the record that holds it.</summary>
    public async Task<IdempotencyRecord?> ClaimAsync(Guid tenantId, Guid actorId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (var expire = Command($"DELETE FROM platform.idempotency_records {Where} AND created_at < $4", tenantId, actorId, key, now - Lifetime))
        {
            await expire.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var claim = Command(
            "INSERT INTO platform.idempotency_records (tenant_id, actor_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true",
            tenantId, actorId, key, requestHash, now))
        {
            if (await claim.ExecuteScalarAsync(cancellationToken) is true)
            {
                return null;
            }
        }

        await using var read = Command($"SELECT request_hash, status_code, content_type, body, location FROM platform.idempotency_records {Where}", tenantId, actorId, key);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new IdempotencyRecord
            {
                TenantId = tenantId,
                ActorId = actorId,
                Key = key,
                RequestHash = reader.GetString(0),
                StatusCode = reader.IsDBNull(1) ? null : reader.GetInt32(1),
                ContentType = reader.IsDBNull(2) ? null : reader.GetString(2),
                Body = reader.IsDBNull(3) ? null : (byte[])reader[3],
                Location = reader.IsDBNull(4) ? null : reader.GetString(4),
            }
            : new IdempotencyRecord { TenantId = tenantId, ActorId = actorId, Key = key, RequestHash = requestHash }; // released meanwhile: in progress
    }

    public async Task CompleteAsync(Guid tenantId, Guid actorId, string key, int statusCode, string? contentType, byte[] body, string? location, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"UPDATE platform.idempotency_records SET status_code = $4, content_type = $5, body = $6, location = $7 {Where}",
            tenantId, actorId, key, statusCode, contentType, body, location);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A request that did not succeed leaves no record, so the client may retry it with the same key.</summary>
    public async Task ReleaseAsync(Guid tenantId, Guid actorId, string key, CancellationToken cancellationToken)
    {
        await using var command = Command($"DELETE FROM platform.idempotency_records {Where} AND status_code IS NULL", tenantId, actorId, key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
