using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Jobs;
using Npgsql;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Processes;

/// <summary>A workbook whose header is sound but whose sheet breaks thousands of rows in: found mid-run, it fails the process.</summary>
public sealed class MalformedUploadTests(MalformedUploadTests.MalformedUploadFactory api) : IClassFixture<MalformedUploadTests.MalformedUploadFactory>
{
    private const int RowsBeforeTheDamage = 3000;

    private static readonly string[] Headers = ["Tipo de documento", "Número de documento", "Canal", "Fecha de envío", "Destinatarios", "Estado"];

    [Fact]
    public async Task Upload_WhenTheSheetXmlBreaksAfterThousandsOfRows_FailsWithAReadableReasonAndRegistersNoRow()
    {
        var (clientId, document) = await NewClientAsync();
        var seller = await api.SignInAsync("seller@demo.test");
        var file = BreakSheetAfterRow(Xlsx(document, RowsBeforeTheDamage + 1000), RowsBeforeTheDamage + 1);

        var accepted = await (await PostFileAsync(seller, file, "historial.xlsx")).ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await seller.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());

        Assert.Equal("failed", process.GetProperty("status").GetString());
        var reason = process.GetProperty("failureReason").GetString()!;
        Assert.DoesNotContain("attempts", reason); // the reader's own reason, not the one of an internal error retried
        Assert.DoesNotContain("Exception", reason);
        Assert.Contains(".xlsx", reason); // e.g. "The file is not a valid .xlsx workbook: its XML is damaged (line 1, position 738542)."

        // Today the run counts the rows before it registers any, so the damage is found before the first chunk.
        Assert.Equal(0, process.GetProperty("processed").GetInt64());
        Assert.Equal(0, await CountInteractionsAsync(clientId));
        var notifications = await (await seller.GetAsync("/api/v1/notifications")).ReadJsonAsync();
        Assert.Contains(notifications.GetProperty("items").EnumerateArray(), n => n.GetProperty("processId").GetGuid() == process.GetProperty("id").GetGuid());
    }

    private static byte[] Xlsx(string document, int rows)
    {
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Comunicaciones");
        for (var c = 0; c < Headers.Length; c++)
        {
            sheet.Cells[1, c + 1].Value = Headers[c];
        }

        var start = new DateTime(2025, 3, 1, 8, 0, 0);
        for (var i = 0; i < rows; i++)
        {
            sheet.Cells[i + 2, 1].Value = "CC";
            sheet.Cells[i + 2, 2].Value = document;
            sheet.Cells[i + 2, 3].Value = "SMS";
            sheet.Cells[i + 2, 4].Value = start.AddMinutes(i).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            sheet.Cells[i + 2, 5].Value = $"+57 300{i:D7}";
            sheet.Cells[i + 2, 6].Value = "Entregada";
        }

        return package.GetAsByteArray();
    }

    /// <summary>The sheet's XML, intact up to <paramref name="row"/>, then a tag that never closes properly.</summary>
    private static byte[] BreakSheetAfterRow(byte[] workbook, int row)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                var text = reader.ReadToEnd();
                if (entry.FullName == "xl/worksheets/sheet1.xml")
                {
                    var at = text.IndexOf($"<row r=\"{row}\"", StringComparison.Ordinal);
                    Assert.True(at > 0, $"row {row} not found in the sheet");
                    var broken = string.Create(CultureInfo.InvariantCulture, $"<row r=\"{row}\"><c r=\"A{row}\" t=\"inlineStr\"><is><t>CC</is></t></c></row>");
                    text = text[..at] + broken + text[at..];
                }

                using var writer = new StreamWriter(target.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return output.ToArray();
    }

    private async Task<(Guid Id, string Document)> NewClientAsync()
    {
        var id = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("malformed")))[0];
        var document = await api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT document_number FROM receivables.clients WHERE id = @id", db);
            command.Parameters.AddWithValue("id", id);
            return (string)(await command.ExecuteScalarAsync())!;
        });
        return (id, document);
    }

    private Task<long> CountInteractionsAsync(Guid clientId) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM interactions.interactions WHERE client_id = @client", db);
            command.Parameters.AddWithValue("client", clientId);
            return (long)(await command.ExecuteScalarAsync())!;
        });

    private static Task<HttpResponseMessage> PostFileAsync(HttpClient client, byte[] file, string name)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", name);
        return client.PostAsync("/api/v1/interactions/imports", content);
    }

    /// <summary>Chunks of 1,000 rows, so the damage lies several chunks into the file.</summary>
    public sealed class MalformedUploadFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Processes:ImportChunkSize", "1000");
        }
    }
}

/// <summary>A port that fails on every attempt: Hangfire retries the job, and the last attempt fails the process with a reason.</summary>
public sealed class RetriesExhaustedTests(RetriesExhaustedTests.AlwaysFailingFactory api) : IClassFixture<RetriesExhaustedTests.AlwaysFailingFactory>
{
    [Fact]
    public async Task RunProcess_WhenEveryAttemptThrows_FailsAfterTheLastAttemptAndNotifiesTheRequester()
    {
        var ids = await TestClients.InsertAsync(api, "demo", 20, TestClients.UniqueTag("retries"));
        var seller = await api.SignInAsync("seller@demo.test");

        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ids, add = new[] { "never" } });
        var process = await seller.WaitForProcessAsync(processId, TimeSpan.FromSeconds(90));

        const int attempts = ProcessJob.Retries + 1;
        Assert.Equal("failed", process.GetProperty("status").GetString());
        Assert.Contains($"after {attempts} attempts", process.GetProperty("failureReason").GetString());
        Assert.Contains("IOException", process.GetProperty("failureReason").GetString());
        Assert.Equal(attempts, api.Attempts);
        Assert.Equal(0, process.GetProperty("processed").GetInt64());
        var notifications = await (await seller.GetAsync("/api/v1/notifications")).ReadJsonAsync();
        var notification = Assert.Single(notifications.GetProperty("items").EnumerateArray(), n => n.GetProperty("processId").GetGuid() == processId);
        Assert.False(string.IsNullOrWhiteSpace(notification.GetProperty("title").GetString()));
        var tagged = await api.WithDbAsync(async db =>
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM receivables.clients WHERE id = ANY(@ids) AND 'never' = ANY(tags)", db);
            count.Parameters.AddWithValue("ids", ids.ToArray());
            return (long)(await count.ExecuteScalarAsync())!;
        });
        Assert.Equal(0, tagged);
    }

    /// <summary>
    /// Every tagging attempt throws. Hangfire's retries are real (the job's own <c>AutomaticRetry</c> counts them), but
    /// their delays (2, 10 and 60 s) are cut to none, so that the test does not wait over a minute.
    /// </summary>
    public sealed class AlwaysFailingFactory : MoonflowApiFactory
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.Decorate<IClientBulkActions>((inner, _) => new FailingBulkActions(inner, this));
            // The job server's filters: Hangfire's own (the job's attributes, the global ones), then this one.
            services.AddSingleton<IJobFilterProvider>(
                new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { { new RetryAtOnce(), RetryAtOnce.AfterAutomaticRetry } }));
        }

        private sealed class FailingBulkActions(IClientBulkActions inner, AlwaysFailingFactory owner) : IClientBulkActions
        {
            public Task<ChunkOutcome> ApplyTagsAsync(
                BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._attempts);
                throw new IOException("Simulated storage failure on every attempt.");
            }

            public Task<ChunkOutcome> DeleteAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
                inner.DeleteAsync(process, chunkSize, cancellationToken);
        }

        /// <summary>Runs after <c>AutomaticRetry</c> (order 20) and schedules its retry for now instead of seconds later.</summary>
        private sealed class RetryAtOnce : IElectStateFilter
        {
            public const int AfterAutomaticRetry = 1000;

            public void OnStateElection(ElectStateContext context)
            {
                if (context.CandidateState is ScheduledState { Reason: { } reason } && reason.StartsWith("Retry attempt", StringComparison.Ordinal))
                {
                    context.CandidateState = new ScheduledState(TimeSpan.Zero) { Reason = reason };
                }
            }
        }
    }
}
