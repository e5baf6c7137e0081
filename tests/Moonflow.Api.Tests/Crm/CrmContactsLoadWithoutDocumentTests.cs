using System.Text;
using Moonflow.Api.Tests.Support;
using static Moonflow.Api.Tests.Crm.CrmImportFiles;

namespace Moonflow.Api.Tests.Crm;

/// <summary>The contacts load's rows without a document: told apart by their lot and phone.</summary>
[Collection(ApiCollection.Name)]
public sealed class CrmContactsLoadWithoutDocumentTests(MoonflowApiFactory api)
{
    private const string Url = "/api/v1/crm/imports/contacts";

    private static readonly string[] Headers = ["Tipo de documento", "Número de documento", "Nombre", "Teléfonos", "Correo", "Etiquetas", "No llamar"];

    [Fact]
    public async Task ContactsLoad_WhenRowsHaveNoDocument_CreatesThemAndTakesTheSamePhoneInTheLotForARepeat()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var phone = $"+57 32{Random.Shared.Next(10_000_000, 99_999_999)}";
        var document = $"8{Random.Shared.Next(10_000_000, 99_999_999)}";
        var lotName = CrmTestData.Unique("Sin documento");
        string?[][] rows =
        [
            [null, null, "Sin documento 1", phone + "1", "uno@example.com", "nuevo", null],
            [null, null, "Sin documento 2", $"{phone}2; {phone}1", null, null, null],
            ["CC", document, "Con documento", phone + "3", null, null, null],
            [null, null, "Sin documento 3", phone + "3", null, null, null],
            [null, null, "Sin teléfono", null, null, null, null],
            ["CC", null, "Medio documento", phone + "4", null, null, null],
        ];
        var file = Xlsx(Headers, rows);
        var fields = new Dictionary<string, string> { ["lotName"] = lotName };

        var first = await RunAsync(admin, Url, file, fields);

        Assert.Equal((6L, 4L, 2L), (first.GetProperty("total").GetInt64(), first.GetProperty("succeeded").GetInt64(), first.GetProperty("failed").GetInt64()));
        var items = await ItemsAsync(admin, first);
        Assert.Equal(["created", "duplicate", "created", "duplicate", "failed", "failed"], Outcomes(items));
        Assert.Equal($"Row 2 · {phone}1", items[0].GetProperty("recordKey").GetString());
        Assert.Contains("Repeats row 2 of this file (no document, the same phone)", items[1].GetProperty("message").GetString());
        Assert.Contains("Already in this lot", items[3].GetProperty("message").GetString());
        Assert.Contains("needs a phone", items[4].GetProperty("message").GetString());
        Assert.Contains("Número de documento", items[5].GetProperty("message").GetString());
        var lotId = await CrmTestData.ScalarAsync<Guid>(api, "SELECT id FROM crm.lots WHERE name = @name", ("name", lotName));
        var inLot = await CrmTestData.AllItemsAsync(admin, $"/api/v1/crm/contacts?lotId={lotId}");
        Assert.Equal(["Con documento", "Sin documento 1"], inLot.Select(c => c.GetProperty("name").GetString()).Order());
        var undocumented = inLot.Single(c => c.GetProperty("name").GetString() == "Sin documento 1");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, undocumented.GetProperty("documentNumber").ValueKind);
        Assert.Equal(["nuevo"], undocumented.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // The same file into the same lot again creates nothing.
        var again = await RunAsync(admin, Url, file, fields);
        Assert.Equal(["duplicate", "duplicate", "duplicate", "duplicate", "failed", "failed"], Outcomes(await ItemsAsync(admin, again)));
        Assert.Equal(2, (await CrmTestData.AllItemsAsync(admin, $"/api/v1/crm/contacts?lotId={lotId}")).Count);

        // A dry run into the same lot: a known phone is a repeat, a new one would be created; nothing is written.
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts");
        var csv = $"Nombre,Teléfonos\r\nOtra vez,{phone}1\r\nNueva,{phone}9\r\n";
        var dry = await RunAsync(admin, Url + "?dryRun=true", Encoding.UTF8.GetBytes(csv), fields);
        Assert.Equal(["duplicate", "would_create"], Outcomes(await ItemsAsync(admin, dry)));
        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts"));
    }
}
