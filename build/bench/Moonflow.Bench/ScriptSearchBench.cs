using System.Diagnostics;
using System.Globalization;
using System.Text;
using Moonflow.Domain.Crm;
using Moonflow.Infrastructure.Crm;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Bench;

/// <summary>
/// The script usage search over 100,000 scripts of one tenant (1,000 screens × 10 sub-screens × 10 scripts, each a few
/// lines naming three of 500 data objects lblEtiqueta1…lblEtiqueta500, so lblEtiqueta1 shares its first letters with 111
/// others): first pages over HTTP next to the very same statement run directly, and the plan that shows the trigram
/// index at work.
/// </summary>
internal static class ScriptSearchBench
{
    private const int Screens = 1_000;
    private const int SubScreensPerScreen = 10;
    private const int ScriptsPerSubScreen = 10;
    private const int Objects = 500;
    private const int Samples = 100;

    private static readonly string[] Phrases =
    [
        "Buenos días, le habla {0} de Moonflow.",
        "Le recordamos que su saldo pendiente es {0}.",
        "¿Podría confirmar su número de documento {0}?",
        "Si ya realizó el pago, por favor ignore este mensaje.",
        "La cuota vence el día {0}; puede pagar en línea.",
        "Gracias por su atención, que tenga buen día.",
    ];

    public static async Task RunAsync(string apiDll, string database, string storage, int apiPort, List<(string Measure, string Value, string Note)> results)
    {
        await using var api = await ApiProcess.StartAsync(apiDll, database, storage, apiPort);
        var tenantId = await TenantAsync(database);
        Console.WriteLine($"seeding {Screens * SubScreensPerScreen * ScriptsPerSubScreen:N0} scripts…");
        var (seedSeconds, withPhrase) = await SeedAsync(database, tenantId);
        Console.WriteLine($"  done in {seedSeconds:F0} s");

        await using var dataSource = NpgsqlDataSource.Create(database);
        var searches = new (string Name, string Query, ScriptSearch Search)[]
        {
            ("object=lblEtiqueta1 (whole word; lblEtiqueta10…199 share its letters)", "object=lblEtiqueta1", ScriptSearch.Create("lblEtiqueta1", null)),
            ("object=lblEtiqueta250", "object=lblEtiqueta250", ScriptSearch.Create("lblEtiqueta250", null)),
            ($"text=promocion navidena (accents and case ignored; {withPhrase:N0} scripts hold it)", "text=promocion%20navidena", ScriptSearch.Create(null, "promocion navidena")),
            ("text=saldo pendiente es (in 2 scripts of 3)", "text=saldo%20pendiente%20es", ScriptSearch.Create(null, "saldo pendiente es")),
            ("object=txtNota7 (in 1 script of 49)", "object=txtNota7", ScriptSearch.Create("txtNota7", null)),
        };

        foreach (var (name, query, search) in searches)
        {
            var http = await LatencyAsync(async () =>
            {
                var response = await api.Http.GetAsync($"/api/v1/crm/scripts/usages?{query}&limit=50");
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
            });
            var sql = await LatencyAsync(async () =>
            {
                await using var command = ScriptUsageSearch.Command(dataSource, tenantId, search, null, 51);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            });
            var plan = await PlanAsync(dataSource, tenantId, search);
            results.Add(($"script usages, {name}: first page over HTTP, p50 / p95", $"{http.P50:F1} / {http.P95:F1} ms", $"{Samples} requests, limit 50; target p95 < 50 ms"));
            results.Add(("  the same statement run directly, p50 / p95", $"{sql.P50:F1} / {sql.P95:F1} ms", $"HTTP / SQL (p50) {http.P50 / sql.P50:F2}×; plan: {plan}"));
        }
    }

    private static async Task<Guid> TenantAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM identity.tenants WHERE slug = 'demo'", connection);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Screens, sub-screens and scripts with binary COPY, then ANALYZE; how long it took and how many scripts hold the Christmas offer.</summary>
    private static async Task<(double Seconds, int WithPhrase)> SeedAsync(string database, Guid tenantId)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(20261202);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var screens = Enumerable.Range(1, Screens).Select(i => (Id: Guid.CreateVersion7(), Name: $"Bench pantalla {i:D4}")).ToList();
        var subScreens = screens.SelectMany(s => Enumerable.Range(1, SubScreensPerScreen).Select(p => (Id: Guid.CreateVersion7(), ScreenId: s.Id, Position: p))).ToList();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY crm.screens (id, tenant_id, name) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, name) in screens)
            {
                await copy.WriteRowAsync(default, id, tenantId, name);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY crm.sub_screens (id, tenant_id, screen_id, position, name) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, screenId, position) in subScreens)
            {
                await copy.WriteRowAsync(default, id, tenantId, screenId, position, $"Sub-pantalla {position}");
            }

            await copy.CompleteAsync();
        }

        var withPhrase = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY crm.scripts (id, tenant_id, sub_screen_id, position, name, text) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (subScreenId, _, _) in subScreens)
            {
                for (var position = 1; position <= ScriptsPerSubScreen; position++)
                {
                    var text = new StringBuilder();
                    foreach (var phrase in Phrases.OrderBy(_ => random.Next()).Take(4))
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{string.Format(CultureInfo.InvariantCulture, phrase, $"{{lblEtiqueta{random.Next(1, Objects + 1)}}}")}\n");
                    }

                    text.Append(CultureInfo.InvariantCulture, $"if (lblEtiqueta{random.Next(1, Objects + 1)}.value > 0) {{ mostrar(txtNota{random.Next(1, 50)}); }}");
                    if (random.Next(100) == 0)
                    {
                        text.Append("\nAproveche la Promoción Navideña: 20 % de descuento.");
                        withPhrase++;
                    }

                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(tenantId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(subScreenId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(position, NpgsqlDbType.Integer);
                    await copy.WriteAsync($"Script {position}", NpgsqlDbType.Text);
                    await copy.WriteAsync(text.ToString(), NpgsqlDbType.Text);
                }
            }

            await copy.CompleteAsync();
        }

        // As the screens import leaves them: the search indexes' pending entries merged.
        await using (var clean = new NpgsqlCommand(ScreenImportRegistrar.CleanSearchIndexesSql, connection) { CommandTimeout = 0 })
        {
            await clean.ExecuteNonQueryAsync();
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE crm.screens; ANALYZE crm.sub_screens; ANALYZE crm.scripts", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync();
        }

        return (watch.Elapsed.TotalSeconds, withPhrase);
    }

    private static async Task<(double P50, double P95)> LatencyAsync(Func<Task> run)
    {
        for (var i = 0; i < 10; i++)
        {
            await run(); // warm-up
        }

        var times = new List<double>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[Samples / 2], times[(int)(Samples * 0.95)]);
    }

    /// <summary>The plan's scan of the scripts, as EXPLAIN ANALYZE reports it (the index, and how many candidates it rechecked).</summary>
    private static async Task<string> PlanAsync(NpgsqlDataSource dataSource, Guid tenantId, ScriptSearch search)
    {
        await using var command = ScriptUsageSearch.Command(dataSource, tenantId, search, null, 51);
        command.CommandText = "EXPLAIN (ANALYZE, FORMAT TEXT) " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0).Trim());
        }

        Console.WriteLine(string.Join('\n', lines));
        var index = lines.FirstOrDefault(l => l.Contains("Index Scan", StringComparison.Ordinal)) ?? "no index scan";
        var heap = lines.FirstOrDefault(l => l.StartsWith("->  Bitmap Heap Scan", StringComparison.Ordinal) || l.Contains("Bitmap Heap Scan", StringComparison.Ordinal));
        var rechecked = lines.FirstOrDefault(l => l.StartsWith("Rows Removed by Index Recheck", StringComparison.Ordinal));
        return $"{Short(index)}{(heap is null ? "" : $"; {Short(heap)}")}{(rechecked is null ? "" : $"; {rechecked}")}";
    }

    private static string Short(string line)
    {
        var text = line.Replace("->", string.Empty, StringComparison.Ordinal).Trim();
        var cost = text.IndexOf("  (cost", StringComparison.Ordinal);
        var actual = text.IndexOf("(actual", StringComparison.Ordinal);
        return cost < 0 ? text : text[..cost] + (actual < 0 ? "" : " " + text[actual..].Split(' ')[1..3].Aggregate((a, b) => $"{a} {b}"));
    }
}
