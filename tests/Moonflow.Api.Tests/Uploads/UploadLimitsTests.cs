using System.Net;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Processes;
using Moonflow.Api.Tests.Support;
using Npgsql;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Uploads;

/// <summary>
/// The row caps, small here (30 rows per upload, 5 failed rows kept for the error workbook, 4 rows a chunk) so that
/// crossing them takes a few rows: a file over the row cap fails before anything is registered; a file with more bad
/// rows than the workbook keeps still records every row and ends <c>completed_with_errors</c>.
/// </summary>
public sealed class UploadLimitsTests(UploadLimitsTests.SmallLimitsFactory api) : IClassFixture<UploadLimitsTests.SmallLimitsFactory>
{
    private const int MaxRows = 30;
    private const int MaxErrorRows = 5;
    private static readonly DateTime April = new(2026, 4, 6, 8, 0, 0);

    [Fact]
    public async Task Upload_WhenFileHasMoreRowsThanTheCap_FailsNamingTheCapAndRegistersNothing()
    {
        var (client, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");

        var process = await seller.WaitForProcessAsync(await AcceptedAsync(seller, Uploads.Csv(document, MaxRows + 1, April)));

        Assert.Equal("failed", process.GetProperty("status").GetString());
        Assert.Contains($"more than {MaxRows} rows", process.GetProperty("failureReason").GetString());
        Assert.Equal(0, process.GetProperty("processed").GetInt64());
        Assert.Empty(await BulkClientActionsTests.ReadAllItemsAsync(seller, process.GetProperty("id").GetGuid()));
        Assert.Equal(0, await Uploads.CountInteractionsAsync(api, client));
    }

    [Fact]
    public async Task Upload_WhenFileHasAsManyRowsAsTheCap_RegistersThemAll()
    {
        var (client, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");

        var process = await seller.WaitForProcessAsync(await AcceptedAsync(seller, Uploads.Csv(document, MaxRows, April)));

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(MaxRows, process.GetProperty("succeeded").GetInt64());
        Assert.Equal(MaxRows, await Uploads.CountInteractionsAsync(api, client));
    }

    [Fact]
    public async Task Upload_WhenMoreRowsFailThanTheWorkbookKeeps_EveryRowHasItsItemAndTheWorkbookSaysHowManyItLeftOut()
    {
        var (client, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");

        // 14 rows: all but the 1st and 8th name an unknown channel, across four chunks.
        var process = await seller.WaitForProcessAsync(await AcceptedAsync(seller, Uploads.Csv(document, 14, April, badChannel: i => i is not (1 or 8))));

        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal(2, process.GetProperty("succeeded").GetInt64());
        Assert.Equal(12, process.GetProperty("failed").GetInt64());
        var id = process.GetProperty("id").GetGuid();
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, id);
        Assert.Equal(12, items.Count(i => i.GetProperty("outcome").GetString() == "failed"));
        Assert.Equal(2, await Uploads.CountInteractionsAsync(api, client));

        var errorFile = process.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var download = await seller.GetAsync($"/api/v1/processes/{id}/files/{errorFile.GetProperty("id").GetGuid()}");
        using var workbook = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(1 + MaxErrorRows + 1, errors.Dimension.End.Row);
        Assert.Equal(["3", "4", "5", "6", "7"], Enumerable.Range(2, MaxErrorRows).Select(r => errors.Cells[r, 8].Text));
        Assert.Contains($"Only the first {MaxErrorRows} of 12 failed rows", errors.Cells[MaxErrorRows + 2, 7].Text);
        Assert.Equal(0, await KeptRowsAsync(id));
    }

    private static async Task<Guid> AcceptedAsync(HttpClient seller, byte[] file)
    {
        var accepted = await (await Uploads.PostAsync(seller, Uploads.Form(file))).ReadJsonAsync(HttpStatusCode.Accepted);
        return accepted.GetProperty("processId").GetGuid();
    }

    private Task<long> KeptRowsAsync(Guid processId) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM processes.upload_failed_rows WHERE process_id = @id", db);
            command.Parameters.AddWithValue("id", processId);
            return (long)(await command.ExecuteScalarAsync())!;
        });

    public sealed class SmallLimitsFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Uploads:Limits:MaxRows", MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Uploads:MaxErrorRows", MaxErrorRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Processes:ImportChunkSize", "4");
        }
    }
}
