using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Infrastructure.Jobs;
using Npgsql;

namespace Moonflow.Api.Tests.Processes;

[Collection(ApiCollection.Name)]
public sealed class ProcessRetentionTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task ProcessFile_WhenExpired_Returns410AndThePurgeRemovesItsBytesButKeepsTheEntry()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var processId = await admin.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        var fileId = (await admin.WaitForProcessAsync(processId)).GetProperty("files")[0].GetProperty("id").GetGuid();
        await ExecuteAsync("UPDATE processes.process_files SET expires_at = now() - interval '1 minute' WHERE id = @id", fileId);

        var download = await admin.GetAsync($"/api/v1/processes/{processId}/files/{fileId}");
        await api.Services.GetRequiredService<ProcessJob>().PurgeProcessLogAsync(CancellationToken.None);

        await download.AssertProblemAsync(HttpStatusCode.Gone, "file_expired");
        var process = await (await admin.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync();
        Assert.True(process.GetProperty("files")[0].GetProperty("expired").GetBoolean());
        var purged = await api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT purged_at IS NOT NULL FROM processes.process_files WHERE id = @id", db);
            command.Parameters.AddWithValue("id", fileId);
            return (bool)(await command.ExecuteScalarAsync())!;
        });
        Assert.True(purged);
        await (await admin.GetAsync($"/api/v1/processes/{processId}/files/{fileId}")).AssertProblemAsync(HttpStatusCode.Gone, "file_expired");
    }

    [Fact]
    public async Task Purge_WhenAnEntryIsOlderThanTheRetention_DeletesItWithItsItemsAndKeepsRecentOnes()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var old = await admin.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        var recent = await admin.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        await admin.WaitForProcessAsync(old);
        await admin.WaitForProcessAsync(recent);
        await ExecuteAsync("UPDATE processes.bulk_processes SET finished_at = now() - interval '91 days' WHERE id = @id", old);

        await api.Services.GetRequiredService<ProcessJob>().PurgeProcessLogAsync(CancellationToken.None);

        await (await admin.GetAsync($"/api/v1/processes/{old}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/processes/{recent}")).StatusCode);
        var orphanItems = await api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM processes.process_items WHERE process_id = @id", db);
            command.Parameters.AddWithValue("id", old);
            return (long)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(0, orphanItems);
    }

    [Fact]
    public async Task Purge_WhenANodeDiedMidFile_DeletesTheHalfWrittenFileOnceADayOldAndKeepsOneBeingWritten()
    {
        var folder = Path.Combine(api.StorageRoot, "exports-purge-test", "2026", "12", "01");
        Directory.CreateDirectory(folder);
        var abandoned = Path.Combine(folder, $"{Guid.NewGuid():N}.xlsx.partial");
        var inTheWriting = Path.Combine(folder, $"{Guid.NewGuid():N}.xlsx.partial");
        var complete = Path.Combine(folder, $"{Guid.NewGuid():N}.xlsx");
        foreach (var file in new[] { abandoned, inTheWriting, complete })
        {
            await File.WriteAllTextAsync(file, "rows");
        }

        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(complete, DateTime.UtcNow.AddDays(-2));

        await api.Services.GetRequiredService<ProcessJob>().PurgeProcessLogAsync(CancellationToken.None);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(inTheWriting));
        Assert.True(File.Exists(complete));
    }

    private Task<int> ExecuteAsync(string sql, Guid id) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand(sql, db);
            command.Parameters.AddWithValue("id", id);
            return await command.ExecuteNonQueryAsync();
        });
}
