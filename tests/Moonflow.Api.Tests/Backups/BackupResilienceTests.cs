using System.IO.Compression;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Backups;
using Moonflow.Application.Receivables.Documents;

namespace Moonflow.Api.Tests.Backups;

/// <summary>
/// A backup job that dies halfway through its archive, and an email whose job was lost: the job runs again and writes the
/// archive from the start (nothing half-written is attached or left behind), and the outbox sweep sends the email.
/// </summary>
public sealed class BackupResilienceTests(BackupResilienceTests.FaultyFactory api) : IClassFixture<BackupResilienceTests.FaultyFactory>, IAsyncLifetime
{
    private const string Admin = "admin@demo.test";

    public async Task InitializeAsync()
    {
        api.Slow.Enabled = false;
        await api.ResetBackupsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunBackup_WhenTheJobFailsMidArchive_WritesItAgainFromTheStartAndAttachesOnlyTheWholeOne()
    {
        var admin = await api.SignInAsync(Admin);
        api.FailNextAttachmentsAfter = 10;
        var before = api.Smtp.Messages.Count;
        var earlier = BackupFiles();

        var accepted = await (await admin.PostAsync("/api/v1/backups", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await admin.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid(), TimeSpan.FromSeconds(120));

        Assert.Equal(1, api.Failures);
        Assert.Equal("completed", process.GetProperty("status").GetString());
        var backupId = accepted.GetProperty("backupId").GetGuid();
        var key = await api.ScalarAsync<string>("SELECT storage_key FROM backups.backup_requests WHERE id = @b", ("b", backupId));
        Assert.Equal([Path.Combine(api.StorageRoot, key)], BackupFiles().Except(earlier)); // the whole archive, no partial one beside it

        var message = await api.Smtp.WaitForMessageAsync(before);
        var bytes = await api.CreateClient().GetByteArrayAsync(SmtpTestServer.LinkIn(message).PathAndQuery);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var listed = manifest.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(zip.Entries.Count - 1, listed.Count);
        foreach (var item in listed)
        {
            await using var stream = zip.GetEntry(item.GetProperty("path").GetString()!)!.Open();
            Assert.Equal(item.GetProperty("sha256").GetString(), Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        }

        var tenantId = await api.ScalarAsync<Guid>("SELECT id FROM identity.tenants WHERE slug = 'demo'");
        var attachments = await api.ScalarAsync<long>("SELECT count(*) FROM receivables.client_attachments WHERE tenant_id = @t", ("t", tenantId));
        Assert.Equal(attachments, zip.Entries.Count(e => e.FullName.StartsWith("clients/", StringComparison.Ordinal)));
        var detail = await (await admin.GetAsync($"/api/v1/backups/{backupId}")).ReadJsonAsync();
        Assert.Equal(zip.Entries.Count, detail.GetProperty("entries").GetInt64());
        Assert.Equal(bytes.Length, detail.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task Email_WhenItsJobWasLost_IsSentByTheOutboxSweep()
    {
        var admin = await api.SignInAsync(Admin);
        api.LoseNextEmailJobs = 1;
        var before = api.Smtp.Messages.Count;

        var accepted = await (await admin.PostAsync("/api/v1/backups", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        await admin.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());
        var backupId = accepted.GetProperty("backupId").GetGuid();

        Assert.Equal(0, api.LoseNextEmailJobs);
        Assert.Equal(before, api.Smtp.Messages.Count);
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT count(*) FROM backups.email_outbox WHERE backup_id = @b AND sent_at IS NULL", ("b", backupId)));

        // Within the minute the lost job had to run nothing is re-sent; once past it (moved back, as time would) the sweep sends it.
        await api.TriggerAndWaitAsync("backups-email-outbox");
        Assert.Equal(before, api.Smtp.Messages.Count);
        await api.ExecuteAsync("UPDATE backups.email_outbox SET next_attempt_at = next_attempt_at - interval '2 minutes' WHERE backup_id = @b", ("b", backupId));
        await api.TriggerAndWaitAsync("backups-email-outbox");

        var message = await api.Smtp.WaitForMessageAsync(before);
        Assert.Equal(Admin, message.To.Mailboxes.Single().Address);
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync(SmtpTestServer.LinkIn(message).PathAndQuery)).StatusCode);
        var emailed = await (await admin.GetAsync($"/api/v1/backups/{backupId}")).ReadJsonAsync();
        Assert.NotEqual(JsonValueKind.Null, emailed.GetProperty("emailedAt").ValueKind);
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT count(*) FROM backups.email_outbox WHERE backup_id = @b AND sent_at IS NOT NULL", ("b", backupId)));
    }

    private string[] BackupFiles() =>
        Directory.GetDirectories(api.StorageRoot, "backups-*").SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories)).ToArray();

    /// <summary>The backup factory with a documents port that can fail mid-stream once, and an email scheduler that can lose jobs.</summary>
    public sealed class FaultyFactory : BackupApiFactory
    {
        private int _failures;
        private int _failAfter;
        private int _lose;

        public int Failures => Volatile.Read(ref _failures);

        /// <summary>The next client-attachments stream throws after this many attachments (0: never).</summary>
        public int FailNextAttachmentsAfter
        {
            get => Volatile.Read(ref _failAfter);
            set => Volatile.Write(ref _failAfter, value);
        }

        /// <summary>How many of the next emails are never handed to the job engine (a node that died before enqueuing).</summary>
        public int LoseNextEmailJobs
        {
            get => Volatile.Read(ref _lose);
            set => Volatile.Write(ref _lose, value);
        }

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            base.ConfigureTestServices(services);
            services.Decorate<IReceivablesDocuments>((inner, _) => new FailingDocuments(inner, this));
            services.Decorate<IBackupEmailScheduler>((inner, _) => new LosingScheduler(inner, this));
        }

        private sealed class FailingDocuments(IReceivablesDocuments inner, FaultyFactory owner) : IReceivablesDocuments
        {
            public Task<DocumentTotals> CountAsync(Guid tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

            public IAsyncEnumerable<IssuedInvoiceFiles> IssuedInvoicesAsync(Guid tenantId, CancellationToken cancellationToken) => inner.IssuedInvoicesAsync(tenantId, cancellationToken);

            public IAsyncEnumerable<ReceivedInvoiceFile> ReceivedInvoicesAsync(Guid tenantId, CancellationToken cancellationToken) => inner.ReceivedInvoicesAsync(tenantId, cancellationToken);

            public async IAsyncEnumerable<ClientAttachmentFile> ClientAttachmentsAsync(Guid tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                var failAfter = Interlocked.Exchange(ref owner._failAfter, 0);
                var given = 0;
                await foreach (var attachment in inner.ClientAttachmentsAsync(tenantId, cancellationToken))
                {
                    if (failAfter > 0 && given == failAfter)
                    {
                        Interlocked.Increment(ref owner._failures);
                        throw new IOException("The file store went away in the middle of the archive.");
                    }

                    given++;
                    yield return attachment;
                }
            }
        }

        private sealed class LosingScheduler(IBackupEmailScheduler inner, FaultyFactory owner) : IBackupEmailScheduler
        {
            public void Schedule(Guid tenantId, Guid emailId, TimeSpan delay)
            {
                if (Interlocked.Decrement(ref owner._lose) >= 0)
                {
                    return;
                }

                Interlocked.Exchange(ref owner._lose, 0);
                inner.Schedule(tenantId, emailId, delay);
            }
        }
    }
}
