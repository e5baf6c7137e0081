using System.Net;
using System.Net.Http.Json;
using System.Text;
using Moonflow.Api.Tests.Exports;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Crm;

/// <summary>The contacts and agendas trays through the exports endpoints, with the default policy, read back.</summary>
public sealed class CrmTrayDownloadTests(ExportsFactory api) : IClassFixture<ExportsFactory>
{
    [Fact]
    public async Task ContactsTray_WhenDownloadedOnlineAsXlsx_HoldsTheFilteredContactsOfTheRange()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var today = ExportTestSupport.DemoToday;
        await CrmTestData.ContactsAsync(api, "demo", 12, baseId, null, attempts: i => i, lastContact: i => DateTimeOffset.UtcNow.AddDays(-1 - i), doNotCall: i => i % 3 == 0);
        await CrmTestData.ContactsAsync(api, "demo", 2, baseId, null, attempts: _ => 1, lastContact: _ => DateTimeOffset.UtcNow.AddDays(-90)); // outside the range

        var preview = await (await seller.PostAsJsonAsync("/api/v1/exports/preview", new { tray = "contacts", from = today.AddDays(-30), to = today, filters = new { baseId, doNotCall = false } })).ReadJsonAsync();
        var accepted = await (await seller.RequestAsync(new
        {
            tray = "contacts", from = today.AddDays(-30), to = today, format = "xlsx", filters = new { baseId, doNotCall = false },
            columns = new[] { "name", "documentNumber", "attempts", "lastContactAt" },
        })).ReadJsonAsync(HttpStatusCode.Accepted);
        var export = await seller.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());

        Assert.Equal("online", preview.GetProperty("mode").GetString());
        Assert.Equal(8, preview.GetProperty("estimatedRows").GetInt64());
        Assert.Equal(("completed", 8L), (export.GetProperty("status").GetString(), export.GetProperty("rowCount").GetInt64()));
        using var workbook = new ExcelPackage(new MemoryStream(await seller.DownloadAsync(export, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")));
        var sheet = workbook.Workbook.Worksheets["contacts"];
        Assert.Equal(["Name", "Document number", "Attempts", "Last contact at"], Enumerable.Range(1, 4).Select(c => sheet.Cells[1, c].Text));
        Assert.Equal(9, sheet.Dimension.End.Row);
        var names = Enumerable.Range(2, 8).Select(r => sheet.Cells[r, 1].Text).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Where(i => i % 3 != 0).Reverse().Select(i => $"Contacto {i}"), names); // by last contact date
        Assert.Equal(11d, sheet.Cells[2, 3].Value);
        Assert.IsType<double>(sheet.Cells[2, 4].Value);
    }

    [Fact]
    public async Task AgendasTray_WhenDownloadedOnlineAsCsv_HoldsTheOwnersPendingAgendasWithTheirContacts()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var owner = await CrmTestData.UserAsync(api, "demo", "Dueña de agendas");
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var today = ExportTestSupport.DemoToday;
        await CrmTestData.AgendasAsync(api, contact, owner, 3, DateTimeOffset.UtcNow.AddDays(-2));
        await CrmTestData.AgendasAsync(api, contact, owner, 2, DateTimeOffset.UtcNow.AddDays(-2), "Done");

        var accepted = await (await admin.RequestAsync(new
        {
            tray = "agendas", from = today.AddDays(-5), to = today, format = "csv", filters = new { ownerId = owner, status = "pending" },
            columns = new[] { "note", "contactName", "owner", "status" },
        })).ReadJsonAsync(HttpStatusCode.Accepted);
        var export = await admin.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());
        var bytes = await admin.DownloadAsync(export, "text/csv");

        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Note,Contact,Owner,Status", "n0,Contacto 0,Dueña de agendas,pending", "n1,Contacto 0,Dueña de agendas,pending", "n2,Contacto 0,Dueña de agendas,pending"], lines);
        var unknown = await admin.RequestAsync(new { tray = "agendas", from = today.AddDays(-5), to = today, format = "csv", filters = new { owner = owner } });
        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task AgendasTray_WhenAnAgentDownloadsIt_HoldsOnlyTheirOwnAgendas()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var agentId = await CrmTestData.UserIdAsync(agent);
        var other = await CrmTestData.UserAsync(api, "demo", "Otra agente");
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var today = ExportTestSupport.DemoToday;
        var own = await CrmTestData.AgendasAsync(api, contact, agentId, 2, DateTimeOffset.UtcNow.AddDays(-3));
        await CrmTestData.AgendasAsync(api, contact, other, 3, DateTimeOffset.UtcNow.AddDays(-3));
        var agentName = await CrmTestData.ScalarAsync<string>(api, "SELECT display_name FROM identity.users WHERE id = @id", ("id", agentId));

        // No owner asked for: the agent's own agendas of the contact, not the other agent's three.
        var accepted = await (await agent.RequestAsync(new
        {
            tray = "agendas", from = today.AddDays(-5), to = today, format = "xlsx", filters = new { contactId = contact },
            columns = new[] { "owner", "note", "status" },
        })).ReadJsonAsync(HttpStatusCode.Accepted);
        var export = await agent.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());
        using var workbook = new ExcelPackage(new MemoryStream(await agent.DownloadAsync(export, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")));
        var sheet = workbook.Workbook.Worksheets["agendas"];

        Assert.Equal(own.Count, export.GetProperty("rowCount").GetInt64());
        Assert.Equal(3, sheet.Dimension.End.Row);
        Assert.Equal([(agentName, "n0"), (agentName, "n1")], Enumerable.Range(2, 2).Select(r => (sheet.Cells[r, 1].Text, sheet.Cells[r, 2].Text)));
        var someoneElses = await agent.RequestAsync(new { tray = "agendas", from = today.AddDays(-5), to = today, format = "csv", filters = new { ownerId = other } });
        await someoneElses.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
