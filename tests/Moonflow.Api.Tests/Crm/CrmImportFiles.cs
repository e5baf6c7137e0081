using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Moonflow.Api.Tests.Processes;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Crm;

/// <summary>Real multipart uploads to the CRM imports, the workbooks they send, and the process items and files they give back.</summary>
internal static class CrmImportFiles
{
    public static byte[] Xlsx(IReadOnlyList<string> headers, IEnumerable<string?[]> rows)
    {
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Datos");
        Fill(sheet, headers, rows);
        return package.GetAsByteArray();
    }

    /// <summary>Writes the header row and the rows from A1 (over whatever a downloaded format had there).</summary>
    public static void Fill(ExcelWorksheet sheet, IReadOnlyList<string> headers, IEnumerable<string?[]> rows)
    {
        for (var c = 0; c < headers.Count; c++)
        {
            sheet.Cells[1, c + 1].Value = headers[c];
        }

        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                sheet.Cells[r, c + 1].Value = row[c];
            }

            r++;
        }
    }

    public static Task<HttpResponseMessage> PostAsync(
        HttpClient client, string url, byte[] file, IReadOnlyDictionary<string, string> fields, string? idempotencyKey = null, string name = "datos.xlsx")
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value), key);
        }

        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", name);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Uploads, expects 202, and waits for the process to end.</summary>
    public static async Task<JsonElement> RunAsync(HttpClient client, string url, byte[] file, IReadOnlyDictionary<string, string> fields)
    {
        var accepted = await (await PostAsync(client, url, file, fields)).ReadJsonAsync(HttpStatusCode.Accepted);
        return await client.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());
    }

    public static Task<List<JsonElement>> ItemsAsync(HttpClient client, JsonElement process) =>
        BulkClientActionsTests.ReadAllItemsAsync(client, process.GetProperty("id").GetGuid());

    public static async Task<ExcelPackage> ErrorWorkbookAsync(HttpClient client, JsonElement process)
    {
        var file = process.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var response = await client.GetAsync($"/api/v1/processes/{process.GetProperty("id").GetGuid()}/files/{file.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new ExcelPackage(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    public static async Task<ExcelPackage> DownloadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        return new ExcelPackage(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    public static IReadOnlyList<string> Outcomes(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("outcome").GetString()!).ToList();
}
