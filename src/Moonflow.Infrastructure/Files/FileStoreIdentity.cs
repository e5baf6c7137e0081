using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Files;

/// <summary>The file store the database's nodes share: its id, and where the node that created it saw it.</summary>
internal sealed class FileStoreRecord
{
    public Guid Id { get; set; }

    public string Root { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class FileStoreRecordConfiguration : IEntityTypeConfiguration<FileStoreRecord>
{
    public void Configure(EntityTypeBuilder<FileStoreRecord> builder)
    {
        builder.ToTable("stores", "files");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Root).HasMaxLength(1000);
    }
}

/// <summary>
/// Makes sure a node sees the same file store as the database's other nodes. The first node writes a marker file
/// (<c>.moonflow-store-{id}</c>) into its root and then records the id in the database; every later node must find that
/// marker in its own root. A node that does not (its root is another folder, or the shared volume is not mounted) stops
/// at start-up with both paths named, before it runs a job or accepts a file that the others could not see.
/// </summary>
public sealed class FileStoreIdentity(MoonflowDbContext db, IOptions<FileStorageOptions> options, TimeProvider clock)
{
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var root = options.Value.FullRoot();
        Directory.CreateDirectory(root);
        var known = await db.Set<FileStoreRecord>().AsNoTracking().OrderBy(s => s.CreatedAt).FirstOrDefaultAsync(cancellationToken) ?? await RegisterAsync(root, cancellationToken);
        if (!File.Exists(MarkerPath(root, known.Id)))
        {
            throw new FileStoreMismatchException(
                $"This node's file store is '{root}' (FileStorage:Root, relative paths taken from MOONFLOW_HOME or {FileStorageOptions.HomeDirectory()}), "
                + $"but the other nodes of this database use the store created at '{known.Root}' (marker file .moonflow-store-{known.Id} not found here). "
                + "Every node must see the same folder: set FileStorage:Root to the shared folder (or mount it), then start the node again. "
                + "When a store is moved, move its marker file with it.");
        }
    }

    private async Task<FileStoreRecord> RegisterAsync(string root, CancellationToken cancellationToken)
    {
        // The marker exists before the row does, so a node that reads the row always finds the marker of a shared folder.
        var record = new FileStoreRecord { Id = Guid.CreateVersion7(), Root = root, CreatedAt = clock.GetUtcNow() };
        var marker = MarkerPath(root, record.Id);
        await File.WriteAllTextAsync(marker, $"Moonflow file store {record.Id}, created at {record.CreatedAt:O} in {root}.\n", cancellationToken);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO files.stores (id, root, created_at) VALUES ({record.Id}, {record.Root}, {record.CreatedAt}) ON CONFLICT DO NOTHING",
            cancellationToken);
        if (inserted == 1)
        {
            return record;
        }

        // Another node registered first (nodes starting together): its record stands, this marker goes.
        File.Delete(marker);
        return await db.Set<FileStoreRecord>().AsNoTracking().OrderBy(s => s.CreatedAt).FirstAsync(cancellationToken);
    }

    private static string MarkerPath(string root, Guid id) => Path.Combine(root, $".moonflow-store-{id}");
}

/// <summary>The node does not share the database's file store; it must not start.</summary>
public sealed class FileStoreMismatchException(string message) : Exception(message);
