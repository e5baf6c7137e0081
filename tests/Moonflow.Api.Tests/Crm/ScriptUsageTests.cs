using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class ScriptUsageTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task FindUsages_WhenSearchingAnObject_MatchesItAsAWholeWordOnly()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var label = Token("lbl");
        await ScreenAsync(admin, ("Saludo", [
            ("Apertura", $"Hola {{{label}1}}, bienvenido"),
            ("Prefijo", $"{label}10 = 3"),
            ("Miembro", $"x = {label}1.value;\nsegunda línea\ny = {label.ToUpperInvariant()}1"),
            ("Pegados", $"_{label}1 + {label}1_b + {label}1x"),
            ("Varias", $"a\r\n\r\nif ({label}1 == {label}10) {{\r\n  {label}1 = 0;\r\n}}"),
        ]));

        var found = await UsagesAsync(admin, $"object={label}1");

        Assert.Equal(["Apertura:1", "Miembro:1", "Varias:3", "Varias:4"], found.Select(u => $"{u.GetProperty("script").GetProperty("name").GetString()}:{u.GetProperty("line").GetInt32()}"));
        Assert.Equal($"x = {label}1.value;", found[1].GetProperty("lineText").GetString());
        Assert.Equal($"  {label}1 = 0;", found[3].GetProperty("lineText").GetString());
        Assert.Equal(["Prefijo:1", "Varias:3"], (await UsagesAsync(admin, $"object={label}10")).Select(u => $"{u.GetProperty("script").GetProperty("name").GetString()}:{u.GetProperty("line").GetInt32()}"));
    }

    [Fact]
    public async Task FindUsages_WhenSearchingAFragment_IgnoresCaseAndAccentsAndTakesWildcardsLiterally()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var token = Token("frag");
        var screenId = await ScreenAsync(admin, ("Cobro", [
            ("Deuda", $"Señor Pérez {token}, SU DEUDA vence hoy"),
            ("Descuento", $"Le ofrecemos un {token} de 10% hoy\nsin {token} 10x"),
            ("Otro", "Nada que ver"),
        ]));

        var deuda = await UsagesAsync(admin, $"text={Uri.EscapeDataString($"perez {token}, su deuda")}");
        var percent = await UsagesAsync(admin, $"text={Uri.EscapeDataString($"{token} de 10%")}");
        var tokenOnly = await UsagesAsync(admin, $"text={token.ToUpperInvariant()}");

        var usage = Assert.Single(deuda);
        Assert.Equal(screenId, usage.GetProperty("screen").GetProperty("id").GetGuid());
        Assert.Equal("Cobro", usage.GetProperty("subScreen").GetProperty("name").GetString());
        Assert.Equal(1, usage.GetProperty("subScreen").GetProperty("position").GetInt32());
        Assert.Equal($"Señor Pérez {token}, SU DEUDA vence hoy", usage.GetProperty("lineText").GetString());
        Assert.Equal("Descuento", Assert.Single(percent).GetProperty("script").GetProperty("name").GetString());
        Assert.Equal(3, tokenOnly.Count);
    }

    [Fact]
    public async Task FindUsages_WhenPaged_ReturnsEveryMatchOnceInOrder()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var label = Token("lblPage");
        var scripts = Enumerable.Range(1, 23).Select(i => ($"S{i:D2}", $"{label} = {i};\nnada\nreturn {label} * 2;")).ToArray();
        await ScreenAsync(admin, ("Uno", scripts[..12]), ("Dos", scripts[12..]));

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/crm/scripts/usages?object={label}&limit=7{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(u => $"{u.GetProperty("script").GetProperty("name").GetString()}:{u.GetProperty("line").GetInt32()}"));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(46, seen.Count);
        Assert.Equal(46, seen.Distinct().Count());
        Assert.Equal(7, pages);
        Assert.Equal(Enumerable.Range(1, 23).SelectMany(i => new[] { $"S{i:D2}:1", $"S{i:D2}:3" }), seen);
    }

    [Fact]
    public async Task FindUsages_WhenAnotherTenantUsesTheObject_SeesOnlyItsOwnAndAViewerMayRead()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var viewer = await api.SignInAsync("viewer@demo.test");
        var label = Token("lblTenant");
        await ScreenAsync(admin, ("Demo", [("Propio", $"{label}.text = 'demo'")]));
        await ScreenAsync(acme, ("Acme", [("Ajeno", $"{label}.text = 'acme'"), ("Ajeno2", $"{label}")]));

        var seenByViewer = await UsagesAsync(viewer, $"object={label}");

        Assert.Equal("Propio", Assert.Single(seenByViewer).GetProperty("script").GetProperty("name").GetString());
        Assert.Equal(2, (await UsagesAsync(acme, $"object={label}")).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?object=lblEtiqueta1&text=Hola")]
    [InlineData("?object=%20&text=")]
    public async Task FindUsages_WhenNotExactlyOneCriterion_Is400(string query)
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        await (await viewer.GetAsync($"/api/v1/crm/scripts/usages{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "script_search_needs_one_criterion");
    }

    [Fact]
    public async Task FindUsages_WhenTheObjectIsNoIdentifier_IsAValidationProblem()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        var problem = await (await viewer.GetAsync("/api/v1/crm/scripts/usages?object=lbl.value")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("object", out _));
        await (await viewer.GetAsync("/api/v1/crm/scripts/usages")).AssertProblemAsync(HttpStatusCode.BadRequest, "script_search_needs_one_criterion");
    }

    [Fact]
    public async Task ScriptSearchIndexes_WhenQueried_ServeTheObjectsWordsAndTheFoldedFragment()
    {
        // A test database is too small for the planner to prefer an index on its own (the bench shows it does on 100,000
        // scripts); with sequential scans priced out, a plan that still scans the table would mean the predicates the
        // search writes are not the expression the index holds.
        var plans = await api.WithDbAsync(async db =>
        {
            var result = new List<(string Index, string Plan)>();
            await using var transaction = await db.BeginTransactionAsync();
            await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off", db, transaction))
            {
                await off.ExecuteNonQueryAsync();
            }

            foreach (var (index, predicate) in new[]
                     {
                         ("ix_scripts_words", "crm.script_words(s.text) @> ARRAY[$1::text]"),
                         ("ix_scripts_search_text_trgm", "s.search_text LIKE ('%' || crm.script_like_literal(crm.script_search_text($1)) || '%')"),
                     })
            {
                await using var explain = new NpgsqlCommand($"EXPLAIN SELECT s.id FROM crm.scripts s WHERE {predicate}", db, transaction);
                explain.Parameters.Add(new NpgsqlParameter { Value = "lblEtiqueta1" });
                var lines = new List<string>();
                await using var reader = await explain.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(0));
                }

                result.Add((index, string.Join('\n', lines)));
            }

            return result;
        });

        Assert.All(plans, p => Assert.Contains($"Bitmap Index Scan on {p.Index}", p.Plan));
    }

    private static string Token(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    private static async Task<Guid> ScreenAsync(HttpClient client, params (string Name, (string Name, string Text)[] Scripts)[] subScreens) =>
        await CrmTestData.CreateAsync(client, "/api/v1/crm/screens", new
        {
            name = CrmTestData.Unique("Pantalla"),
            subScreens = subScreens.Select(s => new { name = s.Name, scripts = s.Scripts.Select(x => new { name = x.Name, text = x.Text }) }),
        });

    private static Task<List<JsonElement>> UsagesAsync(HttpClient client, string query) => CrmTestData.AllItemsAsync(client, $"/api/v1/crm/scripts/usages?{query}");
}
