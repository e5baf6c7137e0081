using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Crm;

/// <summary>Workbooks and real multipart uploads for the CRM's file processes (screens import, mass close).</summary>
internal static class CrmProcessFiles
{
    public static byte[] Xlsx(string sheetName, string[] headers, IEnumerable<string?[]> rows)
    {
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add(sheetName);
        for (var c = 0; c < headers.Length; c++)
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

        return package.GetAsByteArray();
    }

    public static Task<HttpResponseMessage> PostAsync(
        HttpClient client, string url, byte[] file, string name, IReadOnlyDictionary<string, string>? fields = null, string? idempotencyKey = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
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

    /// <summary>Uploads the file, checks the 202 and its Location, and waits for the process to end.</summary>
    public static async Task<JsonElement> RunAsync(HttpClient client, string url, byte[] file, string name, IReadOnlyDictionary<string, string>? fields = null)
    {
        var response = await PostAsync(client, url, file, name, fields);
        var accepted = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        var processId = accepted.GetProperty("processId").GetGuid();
        Assert.EndsWith($"/api/v1/processes/{processId}", response.Headers.Location?.ToString());
        return await client.WaitForProcessAsync(processId);
    }

    public static Task<List<JsonElement>> ItemsAsync(HttpClient client, JsonElement process) =>
        Processes.BulkClientActionsTests.ReadAllItemsAsync(client, process.GetProperty("id").GetGuid());

    /// <summary>The process's error workbook, opened with EPPlus: its "Errores" sheet's rows as text, header row first.</summary>
    public static async Task<List<string[]>> ErrorRowsAsync(HttpClient client, JsonElement process)
    {
        var file = process.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var download = await client.GetAsync($"/api/v1/processes/{process.GetProperty("id").GetGuid()}/files/{file.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var workbook = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var errors = workbook.Workbook.Worksheets["Errores"];
        return Enumerable.Range(1, errors.Dimension.End.Row)
            .Select(r => Enumerable.Range(1, errors.Dimension.End.Column).Select(c => errors.Cells[r, c].Text).ToArray())
            .ToList();
    }
}
