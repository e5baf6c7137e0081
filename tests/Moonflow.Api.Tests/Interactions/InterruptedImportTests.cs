using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Processes;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Interactions;
using Npgsql;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Interactions;

/// <summary>
/// A node crashes in the middle of an upload's chunk, after the chunk's rows went in but before the commit: the chunk
/// rolls back, Hangfire runs the job again, and the upload resumes from the stored file after the last committed row.
/// </summary>
public sealed class InterruptedImportTests(InterruptedImportTests.CrashingImportFactory api) : IClassFixture<InterruptedImportTests.CrashingImportFactory>
{
    private const int Rows = 200;

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task Import_WhenJobCrashesMidChunk_ResumesAndRegistersEveryRowExactlyOnce(string format)
    {
        var (clientId, document) = await NewClientAsync();
        var rows = UploadRows();
        var file = format == "csv" ? Csv(document, rows) : Xlsx(document, rows);
        var seller = await api.SignInAsync("seller@demo.test");

        var processId = await UploadAsync(seller, file, $"historial.{format}");
        var process = await seller.WaitForProcessAsync(processId, TimeSpan.FromSeconds(90));

        // Rows whose number is a multiple of 10 have an unknown channel; every 25th repeats the row before it.
        Assert.Equal(1, api.CrashesOf(processId));
        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal(Rows, process.GetProperty("total").GetInt64());
        Assert.Equal(Rows, process.GetProperty("processed").GetInt64());
        Assert.Equal(180, process.GetProperty("succeeded").GetInt64());
        Assert.Equal(20, process.GetProperty("failed").GetInt64());
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, processId);
        Assert.Equal(Enumerable.Range(2, Rows).Select(i => (long)i), items.Select(i => i.GetProperty("seq").GetInt64()));
        var outcomes = items.GroupBy(i => i.GetProperty("outcome").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["created"] = 176, ["duplicate"] = 4, ["failed"] = 20 }, outcomes);
        Assert.Equal(176, await CountInteractionsAsync(clientId));

        var errorFile = process.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var download = await seller.GetAsync($"/api/v1/processes/{processId}/files/{errorFile.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var workbook = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(21, errors.Dimension.End.Row);
        Assert.All(Enumerable.Range(2, 20), r => Assert.Equal("Paloma", errors.Cells[r, 3].Text));
    }

    /// <summary>Rows 2 to 201 of the sheet: every 10th has an unknown channel, every 25th repeats the row before it.</summary>
    private static List<(string Channel, DateTime SentAt, string Recipients)> UploadRows()
    {
        var start = new DateTime(2025, 6, 1, 8, 0, 0);
        var rows = new List<(string, DateTime, string)>();
        for (var i = 1; i <= Rows; i++)
        {
            rows.Add(i % 10 == 0 ? ("Paloma", start.AddMinutes(i), $"+57 300{i:D7}")
                : i % 25 == 0 ? rows[^1]
                : ("WhatsApp", start.AddMinutes(i), $"+57 300{i:D7}"));
        }

        return rows;
    }

    private static readonly string[] Headers = ["Tipo de documento", "Número de documento", "Canal", "Fecha de envío", "Destinatarios", "Estado"];

    private static byte[] Csv(string document, List<(string Channel, DateTime SentAt, string Recipients)> rows)
    {
        var csv = new StringBuilder(string.Join(',', Headers)).Append("\r\n");
        foreach (var (channel, sentAt, recipients) in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"CC,{document},{channel},{sentAt:yyyy-MM-dd HH:mm},{recipients},Entregada\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static byte[] Xlsx(string document, List<(string Channel, DateTime SentAt, string Recipients)> rows)
    {
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Comunicaciones");
        for (var c = 0; c < Headers.Length; c++)
        {
            sheet.Cells[1, c + 1].Value = Headers[c];
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var (channel, sentAt, recipients) = rows[i];
            sheet.Cells[i + 2, 1].Value = "CC";
            sheet.Cells[i + 2, 2].Value = document;
            sheet.Cells[i + 2, 3].Value = channel;
            sheet.Cells[i + 2, 4].Value = sentAt;
            sheet.Cells[i + 2, 4].Style.Numberformat.Format = "yyyy-mm-dd hh:mm";
            sheet.Cells[i + 2, 5].Value = recipients;
            sheet.Cells[i + 2, 6].Value = "Entregada";
        }

        return package.GetAsByteArray();
    }

    private async Task<(Guid Id, string Document)> NewClientAsync()
    {
        var id = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("interrupted-import")))[0];
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

    private static async Task<Guid> UploadAsync(HttpClient client, byte[] file, string name)
    {
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", name);
        var accepted = await (await client.PostAsync("/api/v1/interactions/imports", content)).ReadJsonAsync(HttpStatusCode.Accepted);
        return accepted.GetProperty("processId").GetGuid();
    }

    public sealed class CrashingImportFactory : MoonflowApiFactory
    {
        private readonly ConcurrentDictionary<Guid, int> _chunks = new();
        private readonly ConcurrentDictionary<Guid, int> _crashes = new();

        public int CrashesOf(Guid processId) => _crashes.GetValueOrDefault(processId);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);

            // 200 rows make five chunks: the crash comes with two committed before it and two still to read after it.
            builder.UseSetting("Processes:ImportChunkSize", "40");
        }

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Decorate<IImportRegistrar<Interaction>>((inner, _) => new CrashOnThirdChunk(inner, this));

        /// <summary>Registers the third chunk of each upload inside its transaction, then dies before the commit (once).</summary>
        private sealed class CrashOnThirdChunk(IImportRegistrar<Interaction> inner, CrashingImportFactory owner) : IImportRegistrar<Interaction>
        {
            public async Task<ImportRegistration> RegisterAsync(ImportBatch<Interaction> batch, CancellationToken cancellationToken)
            {
                var registration = await inner.RegisterAsync(batch, cancellationToken);
                if (owner._chunks.AddOrUpdate(batch.Process.Id, 1, (_, calls) => calls + 1) == 3)
                {
                    owner._crashes.AddOrUpdate(batch.Process.Id, 1, (_, crashes) => crashes + 1);
                    throw new IOException("Simulated node crash in the middle of an upload's chunk.");
                }

                return registration;
            }
        }
    }
}
