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

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public async Task FindUsages_WhenMoreScriptsMatchThanTheIndexSortServes_ReturnsEveryLineInReadingOrder(int fillerScreens)
    {
        // 3,300 matching scripts, past the 3,000 the search puts in order from its index: the statement walks the screens
        // in order instead. The screens go in against their name order, and every sub-screen holds a script that does not
        // match and one naming only a longer identifier, so the walk has scripts to pass over. With 60 screens of 100
        // scripts that do not match before them, the walk runs out of its budget first and every match is put in order.
        var admin = await api.SignInAsync("admin@demo.test");
        var label = Token("lblWalk");
        await api.WithDbAsync(async db =>
        {
            var tenantId = await CrmTestData.TenantIdAsync(db, "demo");
            await using var insert = new NpgsqlCommand(
                """
                WITH screens AS (
                    INSERT INTO crm.screens (id, tenant_id, name)
                    SELECT gen_random_uuid(), @tenant, format('%s pantalla %s', @label, lpad(i::text, 2, '0')) FROM generate_series(33, 1, -1) i
                    RETURNING id),
                subs AS (
                    INSERT INTO crm.sub_screens (id, tenant_id, screen_id, position, name)
                    SELECT gen_random_uuid(), @tenant, sc.id, p, format('Sub %s', p) FROM screens sc, generate_series(10, 1, -1) p
                    RETURNING id)
                INSERT INTO crm.scripts (id, tenant_id, sub_screen_id, position, name, text)
                SELECT gen_random_uuid(), @tenant, ss.id, q, format('S%s', lpad(q::text, 2, '0')),
                       CASE WHEN q <= 10 THEN format(E'uno\n%s = %s;\n%s0 no', @label, q, @label)
                            WHEN q = 11 THEN 'nada que ver' ELSE format('%s0 = 1', @label) END
                FROM subs ss, generate_series(12, 1, -1) q
                """,
                db);
            insert.Parameters.AddWithValue("tenant", tenantId);
            insert.Parameters.AddWithValue("label", label);
            await insert.ExecuteNonQueryAsync();
            await using var filler = new NpgsqlCommand(
                """
                WITH screens AS (
                    INSERT INTO crm.screens (id, tenant_id, name)
                    SELECT gen_random_uuid(), @tenant, format('%s pantalla 00 relleno %s', @label, lpad(i::text, 2, '0')) FROM generate_series(1, @count) i
                    RETURNING id),
                subs AS (
                    INSERT INTO crm.sub_screens (id, tenant_id, screen_id, position, name)
                    SELECT gen_random_uuid(), @tenant, sc.id, p, format('Sub %s', p) FROM screens sc, generate_series(1, 10) p
                    RETURNING id)
                INSERT INTO crm.scripts (id, tenant_id, sub_screen_id, position, name, text)
                SELECT gen_random_uuid(), @tenant, ss.id, q, format('R%s', q), 'nada más' FROM subs ss, generate_series(1, 10) q
                """,
                db);
            filler.Parameters.AddWithValue("tenant", tenantId);
            filler.Parameters.AddWithValue("label", label);
            filler.Parameters.AddWithValue("count", fillerScreens);
            return await filler.ExecuteNonQueryAsync();
        });

        var byObject = await PagesAsync(admin, $"object={label}");
        var byFragment = await PagesAsync(admin, $"text={label.ToUpperInvariant()}");

        var subScreens = Enumerable.Range(1, 33).SelectMany(i => Enumerable.Range(1, 10).Select(p => $"{label} pantalla {i:D2}/{p}")).ToList();
        Assert.Equal(subScreens.SelectMany(s => Enumerable.Range(1, 10).Select(q => $"{s}/S{q:D2}:2")), byObject.Seen);
        Assert.Equal(17, byObject.Pages);
        Assert.Equal(subScreens.SelectMany(s => Enumerable.Range(1, 10).SelectMany(q => new[] { $"{s}/S{q:D2}:2", $"{s}/S{q:D2}:3" }).Append($"{s}/S12:1")), byFragment.Seen);
        Assert.Equal(35, byFragment.Pages);
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
                         ("ix_scripts_words", "s.words @> ARRAY[$1::text]"),
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

    /// <summary>Every page of a search, 200 lines at a time, each line as "screen/sub-screen position/script:line".</summary>
    private static async Task<(int Pages, List<string> Seen)> PagesAsync(HttpClient client, string query)
    {
        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/crm/scripts/usages?{query}&limit=200{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(u =>
                $"{u.GetProperty("screen").GetProperty("name").GetString()}/{u.GetProperty("subScreen").GetProperty("position").GetInt32()}/{u.GetProperty("script").GetProperty("name").GetString()}:{u.GetProperty("line").GetInt32()}"));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        return (pages, seen);
    }

    private static Task<List<JsonElement>> UsagesAsync(HttpClient client, string query) => CrmTestData.AllItemsAsync(client, $"/api/v1/crm/scripts/usages?{query}");
}
