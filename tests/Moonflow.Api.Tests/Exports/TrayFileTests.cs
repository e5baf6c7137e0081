using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Crm.Agendas;
using Moonflow.Application.Crm.Agendas.ListAgendas;
using Moonflow.Application.Crm.Contacts;
using Moonflow.Application.Crm.Contacts.ListContacts;
using Moonflow.Application.Interactions;
using Moonflow.Application.Interactions.ListInteractions;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Application.Receivables.Clients.ListClients;
using Moonflow.Application.Receivables.PaymentOrders;
using Moonflow.Application.Receivables.PaymentOrders.ListPaymentOrders;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Receivables;
using Moonflow.Infrastructure.Persistence;
using Npgsql;

namespace Moonflow.Api.Tests.Exports;

/// <summary>
/// Every filter of every tray really filters, the same way on every path. A tenant of its own holds a few rows per
/// tray, each with a key (a client's document, an order's number, an interaction's message); for every filter there
/// is a case whose value keeps some rows and drops others, and the count, the list, the csv (COPY-formatted) and the
/// xlsx (both read back through the product's reader) must hold exactly the rows the case expects — so a filter that
/// is ignored, or applied on one path only, fails here. Rows just outside the range and another tenant's rows in the
/// range must never appear.
/// </summary>
public sealed class TrayFileTests(TrayFilesFactory api) : IClassFixture<TrayFilesFactory>
{
    private const string TenantSlug = "trays";
    private static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");
    private static readonly TrayRange March2020 = new(new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 31), Bogota);
    private static readonly Guid AdvisorA = Guid.Parse("0a000000-0000-0000-0000-00000000000a");
    private static readonly Guid AdvisorB = Guid.Parse("0b000000-0000-0000-0000-00000000000b");
    private static readonly JsonSerializerOptions FilterJson = CreateFilterJson();

    private static readonly ClientRow[] Clients =
    [
        new("1001", DocumentType.CC, "Ana Gómez", ["vip"], Local(2020, 3, 2, 9, 0)),
        new("1002", DocumentType.CC, "Pedro Ruiz", ["moroso"], Local(2020, 3, 5, 9, 0)),
        new("900100", DocumentType.NIT, "Mariana Distribuciones S.A.S.", ["vip", "corporativo"], Local(2020, 3, 10, 9, 0)),
        new("1003", DocumentType.CE, "Luis Pérez", [], Local(2020, 3, 20, 9, 0)),
        new("2001", DocumentType.CC, "Carlos Ruiz", ["vip"], Local(2020, 2, 29, 23, 30)),
        new("1004", DocumentType.CC, "Felipe Díaz", [], Local(2020, 4, 1, 0, 0)),
    ];

    private static readonly InteractionRow[] Interactions =
    [
        new("i1", "1001", InteractionDirection.Outbound, InteractionChannel.Sms, InteractionStatus.Read, AdvisorA, "campA", "tplA", Local(2020, 3, 2, 10, 0)),
        new("i2", "1001", InteractionDirection.Inbound, InteractionChannel.Email, InteractionStatus.Failed, AdvisorB, "campB", "tplA", Local(2020, 3, 3, 10, 0)),
        new("i3", "900100", InteractionDirection.Outbound, InteractionChannel.Whatsapp, InteractionStatus.Delivered, null, "campA", "tplB", Local(2020, 3, 15, 10, 0)),
        new("i4", "900100", InteractionDirection.Outbound, InteractionChannel.Email, InteractionStatus.Read, AdvisorA, null, null, Local(2020, 3, 31, 23, 59)),
        new("i5", "1001", InteractionDirection.Inbound, InteractionChannel.Sms, InteractionStatus.Sent, AdvisorB, "campA", "tplB", Local(2020, 4, 1, 0, 0)),
        new("i6", "900100", InteractionDirection.Outbound, InteractionChannel.Voice, InteractionStatus.Scheduled, null, "campB", null, Local(2020, 3, 20, 8, 0)),
    ];

    private static readonly OrderRow[] Orders =
    [
        new("PO-1", "1001", new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 31), PaymentOrderStatus.Pending),
        new("PO-2", "1001", new DateOnly(2020, 3, 10), new DateOnly(2020, 4, 9), PaymentOrderStatus.Paid),
        new("PO-3", "900100", new DateOnly(2020, 3, 20), new DateOnly(2020, 4, 19), PaymentOrderStatus.Overdue),
        new("PO-4", "900100", new DateOnly(2020, 3, 31), new DateOnly(2020, 5, 30), PaymentOrderStatus.PartiallyPaid),
        new("PO-5", "1001", new DateOnly(2020, 2, 29), new DateOnly(2020, 3, 30), PaymentOrderStatus.Paid),
        new("PO-6", "900100", new DateOnly(2020, 4, 1), new DateOnly(2020, 5, 1), PaymentOrderStatus.Cancelled),
    ];

    private static readonly Guid BaseOne = Guid.Parse("ba000000-0000-0000-0000-000000000001");
    private static readonly Guid BaseTwo = Guid.Parse("ba000000-0000-0000-0000-000000000002");
    private static readonly Guid LotOne = Guid.Parse("1a000000-0000-0000-0000-000000000001");
    private static readonly Guid LotTwo = Guid.Parse("1a000000-0000-0000-0000-000000000002");
    private static readonly Guid NoAnswer = Guid.Parse("5b000000-0000-0000-0000-000000000001");
    private static readonly Guid Promise = Guid.Parse("5b000000-0000-0000-0000-000000000002");

    private static readonly ContactRow[] Contacts =
    [
        new("3001", "Ana Gómez", ["vip"], [BaseOne], LotOne, NoAnswer, AdvisorA, 1, false, Local(2020, 3, 2, 9, 0)),
        new("3002", "Pedro Ruiz", [], [BaseOne, BaseTwo], LotOne, Promise, AdvisorB, 3, true, Local(2020, 3, 10, 9, 0)),
        new("4001", "Marta Díaz", ["vip"], [BaseTwo], LotTwo, NoAnswer, AdvisorA, 5, false, Local(2020, 3, 20, 9, 0)),
        new("3003", "Luis Ana", [], [], LotTwo, null, null, 0, false, Local(2020, 3, 31, 23, 0)),
        new("3004", "Sara Ruiz", ["vip"], [BaseOne], LotOne, NoAnswer, AdvisorA, 2, false, Local(2020, 2, 29, 23, 30)),
        new("3005", "Juan Mora", [], [BaseTwo], LotTwo, null, null, 0, false, null),
    ];

    private static readonly AgendaRow[] Agendas =
    [
        new("a1", "3001", AdvisorA, AgendaStatus.Pending, Local(2020, 3, 3, 10, 0)),
        new("a2", "3002", AdvisorB, AgendaStatus.Done, Local(2020, 3, 12, 10, 0)),
        new("a3", "4001", AdvisorA, AgendaStatus.Cancelled, Local(2020, 3, 25, 10, 0)),
        new("a4", "3001", AdvisorB, AgendaStatus.Pending, Local(2020, 3, 31, 23, 59)),
        new("a5", "3002", AdvisorA, AgendaStatus.Pending, Local(2020, 4, 1, 0, 0)),
    ];

    /// <summary>For every tray, its key column and a case per filter: the filters and which rows they keep.</summary>
    private static readonly TrayCases[] Cases =
    [
        new(InteractionsTray.Name, "message", Interactions.OrderBy(i => i.SendAt).Select(i => (i.Key, InRange(i.SendAt))).ToList(), ListInteractionsAsync,
        [
            Case(new InteractionFilter(), Interactions, _ => true),
            Case(new InteractionFilter(Directions: [InteractionDirection.Inbound]), Interactions, i => i.Direction == InteractionDirection.Inbound),
            Case(new InteractionFilter(Statuses: [InteractionStatus.Read, InteractionStatus.Failed]), Interactions, i => i.Status is InteractionStatus.Read or InteractionStatus.Failed),
            Case(new InteractionFilter(Channels: [InteractionChannel.Email, InteractionChannel.Sms]), Interactions, i => i.Channel is InteractionChannel.Email or InteractionChannel.Sms),
            Case(new InteractionFilter(AdvisorId: AdvisorA), Interactions, i => i.Advisor == AdvisorA),
            Case(new InteractionFilter(Campaign: "campA"), Interactions, i => i.Campaign == "campA"),
            Case(new InteractionFilter(Template: "tplA"), Interactions, i => i.Template == "tplA"),
            Case(new InteractionFilter(ClientId: ClientId("900100")), Interactions, i => i.Client == "900100"),
            Case(new InteractionFilter(From: Local(2020, 3, 15, 10, 0)), Interactions, i => i.SendAt >= Local(2020, 3, 15, 10, 0)),
            Case(new InteractionFilter(To: Local(2020, 3, 15, 10, 0)), Interactions, i => i.SendAt <= Local(2020, 3, 15, 10, 0)),
        ]),
        new(ClientsTray.Name, "documentNumber", Clients.OrderBy(c => c.CreatedAt).Select(c => (c.Document, InRange(c.CreatedAt))).ToList(), ListClientsAsync,
        [
            Case(new ClientFilter(), Clients, _ => true),
            Case(new ClientFilter(Search: "10"), Clients, c => c.Document.StartsWith("10", StringComparison.Ordinal)),
            Case(new ClientFilter(Search: " ANA "), Clients, c => c.Name.Contains("ana", StringComparison.OrdinalIgnoreCase)),
            Case(new ClientFilter(DocumentType: DocumentType.NIT), Clients, c => c.Type == DocumentType.NIT),
            Case(new ClientFilter(Tag: " VIP "), Clients, c => c.Tags.Contains("vip")),
        ]),
        new(PaymentOrdersTray.Name, "number", Orders.OrderBy(o => o.Issued).Select(o => (o.Number, March2020.From <= o.Issued && o.Issued <= March2020.To)).ToList(), ListPaymentOrdersAsync,
        [
            Case(new PaymentOrderFilter(), Orders, _ => true),
            Case(new PaymentOrderFilter(ClientId: ClientId("900100")), Orders, o => o.Client == "900100"),
            Case(new PaymentOrderFilter(Statuses: [PaymentOrderStatus.Paid, PaymentOrderStatus.Overdue]), Orders, o => o.Status is PaymentOrderStatus.Paid or PaymentOrderStatus.Overdue),
            Case(new PaymentOrderFilter(DueFrom: new DateOnly(2020, 4, 10)), Orders, o => o.Due >= new DateOnly(2020, 4, 10)),
            Case(new PaymentOrderFilter(DueTo: new DateOnly(2020, 4, 9)), Orders, o => o.Due <= new DateOnly(2020, 4, 9)),
            Case(new PaymentOrderFilter(IssuedFrom: new DateOnly(2020, 3, 10)), Orders, o => o.Issued >= new DateOnly(2020, 3, 10)),
            Case(new PaymentOrderFilter(IssuedTo: new DateOnly(2020, 3, 10)), Orders, o => o.Issued <= new DateOnly(2020, 3, 10)),
        ]),
        new(ContactsTray.Name, "documentNumber", Contacts.OrderBy(c => c.LastContact).Select(c => (c.Key, c.LastContact is { } at && InRange(at))).ToList(), ListContactsAsync,
        [
            Case(new ContactFilter(), Contacts, _ => true),
            Case(new ContactFilter(Search: "30"), Contacts, c => c.Key.StartsWith("30", StringComparison.Ordinal)),
            Case(new ContactFilter(Search: " ANA "), Contacts, c => c.Name.Contains("ana", StringComparison.OrdinalIgnoreCase)),
            Case(new ContactFilter(BaseId: BaseOne), Contacts, c => c.Bases.Contains(BaseOne)),
            Case(new ContactFilter(LotId: LotTwo), Contacts, c => c.Lot == LotTwo),
            Case(new ContactFilter(SubcategoryId: NoAnswer), Contacts, c => c.Subcategory == NoAnswer),
            Case(new ContactFilter(UserId: AdvisorA), Contacts, c => c.User == AdvisorA),
            Case(new ContactFilter(AttemptsMin: 3), Contacts, c => c.Attempts >= 3),
            Case(new ContactFilter(AttemptsMax: 2), Contacts, c => c.Attempts <= 2),
            Case(new ContactFilter(LastContactFrom: Local(2020, 3, 10, 9, 0)), Contacts, c => c.LastContact >= Local(2020, 3, 10, 9, 0)),
            Case(new ContactFilter(LastContactTo: Local(2020, 3, 10, 9, 0)), Contacts, c => c.LastContact <= Local(2020, 3, 10, 9, 0)),
            Case(new ContactFilter(DoNotCall: true), Contacts, c => c.DoNotCall),
            Case(new ContactFilter(Tag: " VIP "), Contacts, c => c.Tags.Contains("vip")),
        ]),
        new(AgendasTray.Name, "note", Agendas.OrderBy(a => a.DueAt).Select(a => (a.Key, InRange(a.DueAt))).ToList(), ListAgendasAsync,
        [
            Case(new AgendaFilter(), Agendas, _ => true),
            Case(new AgendaFilter(OwnerId: AdvisorA), Agendas, a => a.Owner == AdvisorA),
            Case(new AgendaFilter(Status: AgendaStatus.Pending), Agendas, a => a.Status == AgendaStatus.Pending),
            Case(new AgendaFilter(ContactId: ContactId("3001")), Agendas, a => a.Contact == "3001"),
            Case(new AgendaFilter(DueFrom: Local(2020, 3, 12, 10, 0)), Agendas, a => a.DueAt >= Local(2020, 3, 12, 10, 0)),
            Case(new AgendaFilter(DueTo: Local(2020, 3, 12, 10, 0)), Agendas, a => a.DueAt <= Local(2020, 3, 12, 10, 0)),
        ]),
    ];

    [Fact]
    public async Task EveryTray_WhenRegistered_HasACaseForEachOfItsFilters()
    {
        await using var scope = await api.TenantScopeAsync("demo");
        var trays = scope.ServiceProvider.GetServices<TrayDefinition>().ToList();

        Assert.True(trays.Count >= 3, "The tray scan found too few trays; this test would pass vacuously.");
        var missing =
            from tray in trays
            let cases = Cases.SingleOrDefault(c => c.Tray == tray.Tray)
            from filter in tray.Filters
            where cases is null || !cases.Filters.Any(c => c.Sets.Contains(filter.Name))
            select $"{tray.Tray}.{filter.Name}";
        Assert.True(!missing.Any(), $"Filters without a case in {nameof(TrayFileTests)}: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task EveryFilter_WhenGiven_KeepsExactlyItsRows_InTheCountTheListAndBothFiles()
    {
        await SeedAsync();
        var failures = new List<string>();
        foreach (var tray in Cases)
        {
            foreach (var filterCase in tray.Filters)
            {
                await using var scope = await api.TenantScopeAsync(TenantSlug);
                var definition = scope.ServiceProvider.GetServices<TrayDefinition>().Single(t => t.Tray == tray.Tray);
                var label = $"{tray.Tray} {JsonSerializer.Serialize(filterCase.Filter, filterCase.Filter.GetType(), FilterJson)}";
                var inRange = tray.Rows.Where(r => r.InRange).Select(r => r.Key).ToHashSet();
                var expected = filterCase.Keeps.ToHashSet();
                var dropsSome = filterCase.Sets.Count == 0 || (expected.Count > 0 && expected.Count < tray.Rows.Count);
                Assert.True(dropsSome, $"{label}: the case must keep some rows and drop others, or it proves nothing");

                var listed = await tray.ListAsync(scope, filterCase.Filter);
                CheckRows(failures, label, "list", expected, listed);
                if (filterCase.Sets.Any(name => !definition.DownloadFilters.ContainsKey(name)))
                {
                    continue; // a list's bounds on the tray's date: downloads take their range instead
                }

                var downloaded = expected.Where(inRange.Contains).ToHashSet();
                Assert.True(filterCase.Sets.Count == 0 || (downloaded.Count > 0 && downloaded.Count < inRange.Count), $"{label}: the case must keep and drop rows of the range");
                var source = scope.ServiceProvider.GetServices<ITraySource>().Single(s => s.Tray == tray.Tray);
                var bound = source.BindFilters(JsonSerializer.SerializeToElement(filterCase.Filter, filterCase.Filter.GetType(), FilterJson));
                var counted = await source.CountAsync(March2020, bound, CancellationToken.None);
                CheckCount(failures, label, "count", downloaded.Count, counted);

                var csv = await WriteAsync(scope, new TrayFile(tray.Tray, scope.TenantId, March2020, bound, source.Columns, SpreadsheetFormat.Csv));
                var xlsx = await WriteAsync(scope, new TrayFile(tray.Tray, scope.TenantId, March2020, bound, source.Columns, SpreadsheetFormat.Xlsx));
                var csvRows = await ReadAsync(scope, csv.Bytes, SpreadsheetFormat.Csv);
                var xlsxRows = await ReadAsync(scope, xlsx.Bytes, SpreadsheetFormat.Xlsx);
                Assert.Equal(source.Columns.Select(c => c.LabelEs), csvRows[0]);
                var key = source.Columns.ToList().FindIndex(c => c.Key == tray.KeyColumn);
                CheckCount(failures, label, "csv rows written", downloaded.Count, csv.Written);
                CheckCount(failures, label, "xlsx rows written", downloaded.Count, xlsx.Written);
                CheckRows(failures, label, "csv", downloaded, csvRows.Skip(1).Select(r => r[key]!).ToList());
                CheckRows(failures, label, "xlsx", downloaded, xlsxRows.Skip(1).Select(r => r[key]!).ToList());
                CheckOrder(failures, label, "the csv's order (the tray's date)", tray.Rows.Select(r => r.Key).Where(downloaded.Contains), csvRows.Skip(1).Select(r => r[key]!));
                for (var r = 1; r < Math.Min(csvRows.Count, xlsxRows.Count); r++)
                {
                    if (!SameRow(source.Columns, csvRows[r], xlsxRows[r]))
                    {
                        failures.Add($"{label}, row {r}: csv [{string.Join("|", csvRows[r])}] xlsx [{string.Join("|", xlsxRows[r])}]");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Files_OfATrayWithAJoin_ShowTheJoinedValues()
    {
        await SeedAsync();
        await using var scope = await api.TenantScopeAsync(TenantSlug);
        var source = scope.ServiceProvider.GetServices<ITraySource>().Single(s => s.Tray == PaymentOrdersTray.Name);
        var columns = new[] { "number", "clientDocument", "clientName", "status", "amount" }.Select(k => source.Columns.Single(c => c.Key == k)).ToList();
        var bound = source.BindFilters(JsonSerializer.SerializeToElement(new { statuses = new[] { "overdue" } }));

        var csv = await WriteAsync(scope, new TrayFile(source.Tray, scope.TenantId, March2020, bound, columns, SpreadsheetFormat.Csv));

        Assert.Equal(
            "Número,Documento del cliente,Cliente,Estado,Valor\r\nPO-3,NIT 900100,Mariana Distribuciones S.A.S.,overdue,1000.00\r\n",
            Encoding.UTF8.GetString(csv.Bytes, 3, csv.Bytes.Length - 3));
    }

    [Fact]
    public async Task Csv_WithAwkwardText_IsRfc4180_WithLocalTimes_AndFormulasNeutralised()
    {
        var sentAt = new DateTimeOffset(2026, 3, 9, 22, 30, 5, TimeSpan.Zero); // 17:30:05 in Bogota
        await api.WithDbAsync(async db =>
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name, direction, channel,
                    status, sent_at, send_at, campaign, template, recipients, message, source, created_at)
                SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name, 'Outbound', 'Email', 'Read', @sent, @sent,
                    '=cmd|'' /C calc''!A0', '-template', '+573001234567', @message, 'Imported', now()
                FROM receivables.clients c JOIN identity.tenants t ON t.id = c.tenant_id AND t.slug = 'demo' LIMIT 1
                """, db);
            insert.Parameters.AddWithValue("sent", sentAt);
            insert.Parameters.AddWithValue("message", "Hola, \"Ana\"\nsegunda línea");
            return await insert.ExecuteNonQueryAsync();
        });

        await using var scope = await api.TenantScopeAsync("demo");
        var source = scope.ServiceProvider.GetServices<ITraySource>().Single(s => s.Tray == "interactions");
        var columns = new[] { "message", "campaign", "template", "recipients", "sentAt", "status", "direction" }.Select(k => source.Columns.Single(c => c.Key == k)).ToList();
        var day = new DateOnly(2026, 3, 9);
        var file = new TrayFile("interactions", scope.TenantId, new TrayRange(day, day, Bogota), source.BindFilters(null), columns, SpreadsheetFormat.Csv);

        var (written, bytes) = await WriteAsync(scope, file);

        Assert.Equal(1, written);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        Assert.Equal(
            "Mensaje,Flujo / evento / campaña,Plantilla,Destinatarios,Fecha de envío real,Estado,Tipo de comunicación\r\n"
            + "\"Hola, \"\"Ana\"\"\nsegunda línea\",'=cmd|' /C calc'!A0,'-template,'+573001234567,2026-03-09 17:30:05,read,outbound\r\n",
            Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    private static FilterCase Case<TRow>(object filter, IEnumerable<TRow> rows, Func<TRow, bool> keeps)
        where TRow : IKeyed =>
        new(filter, rows.Where(keeps).Select(r => r.Key).ToList(), JsonSerializer.SerializeToElement(filter, filter.GetType(), FilterJson).EnumerateObject().Select(p => p.Name).ToList());

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(-5));

    private static bool InRange(DateTimeOffset at) => March2020.Start <= at && at < March2020.End;

    /// <summary>A client's id by its document: known before the rows exist, so that cases can name it.</summary>
    private static Guid ClientId(string document) => Guid.Parse($"c0000000-0000-0000-0000-{long.Parse(document, CultureInfo.InvariantCulture):D12}");

    private static void CheckCount(List<string> failures, string label, string path, long expected, long actual)
    {
        if (expected != actual)
        {
            failures.Add($"{label}: {path} gave {actual}, expected {expected}");
        }
    }

    private static void CheckRows(List<string> failures, string label, string path, IReadOnlySet<string> expected, IReadOnlyList<string> actual)
    {
        if (!expected.SetEquals(actual) || actual.Count != expected.Count)
        {
            failures.Add($"{label}: {path} holds [{string.Join(", ", actual.Order())}], expected [{string.Join(", ", expected.Order())}]");
        }
    }

    private static void CheckOrder(List<string> failures, string label, string path, IEnumerable<string> expected, IEnumerable<string> actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            failures.Add($"{label}: {path} is [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]");
        }
    }

    private static async Task<IReadOnlyList<string>> ListInteractionsAsync(TenantScope scope, object filter)
    {
        var page = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
            new ListInteractionsQuery((InteractionFilter)filter, Ascending: true, Fields: ["message"], Limit: 200));
        return page.Items.Select(i => (string)i["message"]!).ToList();
    }

    /// <summary>A contact's id by its document, like <see cref="ClientId"/>.</summary>
    private static Guid ContactId(string document) => Guid.Parse($"cc000000-0000-0000-0000-{long.Parse(document, CultureInfo.InvariantCulture):D12}");

    private static async Task<IReadOnlyList<string>> ListContactsAsync(TenantScope scope, object filter) =>
        (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListContactsQuery((ContactFilter)filter, Limit: 200))).Items.Select(c => c.DocumentNumber!).ToList();

    private static async Task<IReadOnlyList<string>> ListAgendasAsync(TenantScope scope, object filter) =>
        (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListAgendasQuery((AgendaFilter)filter, Limit: 200))).Items.Select(a => a.Note!).ToList();

    private static async Task<IReadOnlyList<string>> ListClientsAsync(TenantScope scope, object filter) =>
        (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListClientsQuery((ClientFilter)filter, Limit: 200))).Items.Select(c => c.DocumentNumber).ToList();

    private static async Task<IReadOnlyList<string>> ListPaymentOrdersAsync(TenantScope scope, object filter) =>
        (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListPaymentOrdersQuery((PaymentOrderFilter)filter, Limit: 200))).Items.Select(o => o.Number).ToList();

    /// <summary>The rows, once per database: this tenant's, and a row of each tray in another tenant in the same range.</summary>
    private async Task SeedAsync()
    {
        await api.SeedOnceAsync(async () =>
        {
            await using (var scope = api.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MoonflowDbContext>();
                db.Add(Tenant.Create(TenantSlug, "Trays S.A.S.", "America/Bogota", DateTimeOffset.UtcNow));
                await db.SaveChangesAsync();
            }

            await api.WithDbAsync(async db =>
            {
                foreach (var client in Clients)
                {
                    await ExecuteAsync(
                        db,
                        "INSERT INTO receivables.clients (id, tenant_id, document_type, document_number, name, tags, created_at) SELECT @id, id, @type, @document, @name, @tags, @created FROM identity.tenants WHERE slug = @tenant",
                        ("id", ClientId(client.Document)), ("type", client.Type.ToString()), ("document", client.Document), ("name", client.Name),
                        ("tags", client.Tags), ("created", client.CreatedAt), ("tenant", TenantSlug));
                }

                foreach (var interaction in Interactions)
                {
                    var scheduled = interaction.Status == InteractionStatus.Scheduled;
                    await ExecuteAsync(
                        db,
                        """
                        INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name, direction, channel,
                            status, scheduled_at, sent_at, send_at, campaign, template, advisor_id, recipients, message, source, created_at)
                        SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name, @direction, @channel, @status,
                            CASE WHEN @scheduled THEN @at END, CASE WHEN NOT @scheduled THEN @at END, @at, @campaign, @template, @advisor, '+57 300', @message, 'Platform', now()
                        FROM receivables.clients c WHERE c.id = @client
                        """,
                        ("direction", interaction.Direction.ToString()), ("channel", interaction.Channel.ToString()), ("status", interaction.Status.ToString()),
                        ("scheduled", scheduled), ("at", interaction.SendAt), ("campaign", (object?)interaction.Campaign ?? DBNull.Value),
                        ("template", (object?)interaction.Template ?? DBNull.Value), ("advisor", (object?)interaction.Advisor ?? DBNull.Value),
                        ("message", interaction.Key), ("client", ClientId(interaction.Client)));
                }

                foreach (var order in Orders)
                {
                    await ExecuteAsync(
                        db,
                        """
                        INSERT INTO receivables.payment_orders (id, tenant_id, number, client_id, issue_date, due_date, amount, currency, balance, status, created_at)
                        SELECT gen_random_uuid(), c.tenant_id, @number, c.id, @issued, @due, 1000, 'COP', 500, @status, now() FROM receivables.clients c WHERE c.id = @client
                        """,
                        ("number", order.Number), ("issued", order.Issued), ("due", order.Due), ("status", order.Status.ToString()), ("client", ClientId(order.Client)));
                }

                await SeedCrmAsync(db);

                // Another tenant's rows in the same range, matching every filter a download could give, never appear.
                await ExecuteAsync(
                    db,
                    """
                    WITH acme AS (SELECT id FROM identity.tenants WHERE slug = 'acme'),
                         client AS (INSERT INTO receivables.clients (id, tenant_id, document_type, document_number, name, tags, created_at)
                                    SELECT gen_random_uuid(), id, 'NIT', '1009', 'Ana Acme', ARRAY['vip'], @at FROM acme RETURNING id, tenant_id),
                         orders AS (INSERT INTO receivables.payment_orders (id, tenant_id, number, client_id, issue_date, due_date, amount, currency, balance, status, created_at)
                                    SELECT gen_random_uuid(), tenant_id, 'PO-acme', id, DATE '2020-03-15', DATE '2020-04-15', 1000, 'COP', 0, 'Paid', now() FROM client)
                    INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name, direction, channel,
                        status, sent_at, send_at, campaign, template, advisor_id, recipients, message, source, created_at)
                    SELECT gen_random_uuid(), tenant_id, id, 'NIT', '1009', 'Ana Acme', 'Inbound', 'Email', 'Read', @at, @at, 'campA', 'tplA', @advisor, '+57 300',
                        'i-acme', 'Platform', now() FROM client
                    """,
                    ("at", Local(2020, 3, 15, 10, 0)), ("advisor", AdvisorA));
                return 0;
            });
        });
    }

    /// <summary>The CRM trays' rows: users, bases, lots and subcategories of known ids, contacts and agendas; and another tenant's contact and agenda matching every filter.</summary>
    private static async Task SeedCrmAsync(NpgsqlConnection db)
    {
        foreach (var (id, name) in new[] { (AdvisorA, "Asesor A"), (AdvisorB, "Asesor B") })
        {
            await ExecuteAsync(
                db,
                "INSERT INTO identity.users (id, tenant_id, email, display_name, password_hash, role, granted_permissions, is_active, created_at) SELECT @id, id, @email, @name, 'x', 'Agent', '{}', true, now() FROM identity.tenants WHERE slug = @tenant",
                ("id", id), ("email", $"{id:N}@trays.test"), ("name", name), ("tenant", TenantSlug));
        }

        await ExecuteAsync(
            db,
            """
            WITH t AS (SELECT id FROM identity.tenants WHERE slug = @tenant),
                 b AS (INSERT INTO crm.bases (id, tenant_id, name, created_at) SELECT unnest(ARRAY[@b1, @b2]), id, unnest(ARRAY['Base 1', 'Base 2']), now() FROM t),
                 l AS (INSERT INTO crm.lots (id, tenant_id, name, loaded_at) SELECT unnest(ARRAY[@l1, @l2]), id, unnest(ARRAY['Lote 1', 'Lote 2']), now() FROM t),
                 c AS (INSERT INTO crm.categories (id, tenant_id, name) SELECT @cat, id, 'Gestión' FROM t)
            INSERT INTO crm.subcategories (id, tenant_id, category_id, name) SELECT unnest(ARRAY[@s1, @s2]), id, @cat, unnest(ARRAY['No contesta', 'Promesa de pago']) FROM t
            """,
            ("tenant", TenantSlug), ("b1", BaseOne), ("b2", BaseTwo), ("l1", LotOne), ("l2", LotTwo), ("cat", Guid.Parse("ca000000-0000-0000-0000-000000000001")),
            ("s1", NoAnswer), ("s2", Promise));
        foreach (var contact in Contacts.Append(new ContactRow("9001", "Ana Acme", ["vip"], [BaseOne, BaseTwo], LotTwo, NoAnswer, AdvisorA, 3, true, Local(2020, 3, 15, 10, 0))))
        {
            await ExecuteAsync(
                db,
                """
                INSERT INTO crm.contacts (id, tenant_id, name, document_type, document_number, phones, details, tags, do_not_call, lot_id, base_ids, attempts,
                    last_contact_at, last_user_id, subcategory_id, dialable, created_at)
                SELECT @id, id, @name, 'CC', @document, ARRAY['300' || @document], '{}', @tags, @dnc, @lot, @bases, @attempts, @last, @user, @sub, NOT @dnc, now()
                FROM identity.tenants WHERE slug = @tenant
                """,
                ("id", ContactId(contact.Key)), ("name", contact.Name), ("document", contact.Key), ("tags", contact.Tags), ("dnc", contact.DoNotCall),
                ("lot", contact.Lot), ("bases", contact.Bases), ("attempts", contact.Attempts), ("last", (object?)contact.LastContact ?? DBNull.Value),
                ("user", (object?)contact.User ?? DBNull.Value), ("sub", (object?)contact.Subcategory ?? DBNull.Value), ("tenant", contact.Key == "9001" ? "acme" : TenantSlug));
        }

        foreach (var agenda in Agendas.Append(new AgendaRow("a-acme", "9001", AdvisorA, AgendaStatus.Pending, Local(2020, 3, 15, 10, 0))))
        {
            await ExecuteAsync(
                db,
                "INSERT INTO crm.agendas (id, tenant_id, contact_id, owner_id, due_at, note, status, created_at) SELECT gen_random_uuid(), tenant_id, id, @owner, @due, @note, @status, now() FROM crm.contacts WHERE id = @contact",
                ("owner", agenda.Owner), ("due", agenda.DueAt), ("note", agenda.Key), ("status", agenda.Status.ToString()), ("contact", ContactId(agenda.Contact)));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value is DateTimeOffset instant ? instant.ToUniversalTime() : value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(long Written, byte[] Bytes)> WriteAsync(TenantScope scope, TrayFile file)
    {
        using var output = new MemoryStream();
        var written = await scope.ServiceProvider.GetRequiredService<ITrayFileWriter>().WriteAsync(output, file, null, CancellationToken.None);
        return (written, output.ToArray());
    }

    private static async Task<List<IReadOnlyList<string?>>> ReadAsync(TenantScope scope, byte[] bytes, SpreadsheetFormat format)
    {
        var rows = new List<IReadOnlyList<string?>>();
        await foreach (var row in scope.ServiceProvider.GetRequiredService<ISpreadsheetReader>().ReadRowsAsync(new MemoryStream(bytes), format, CancellationToken.None))
        {
            rows.Add(row.Cells);
        }

        return rows;
    }

    /// <summary>Text compares as text; typed cells by value (the reader gives a workbook's dates as ISO text, the csv its own way).</summary>
    private static bool SameRow(IReadOnlyList<TrayColumn> columns, IReadOnlyList<string?> csv, IReadOnlyList<string?> xlsx)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            var (a, b) = (c < csv.Count ? csv[c] : null, c < xlsx.Count ? xlsx[c] : null);
            var same = columns[c].Kind switch
            {
                CellKind.DateTime or CellKind.Date when a is not null && b is not null =>
                    DateTime.Parse(a, CultureInfo.InvariantCulture) == DateTime.Parse(b, CultureInfo.InvariantCulture),
                CellKind.Money or CellKind.Decimal or CellKind.Integer when a is not null && b is not null =>
                    decimal.Parse(a, CultureInfo.InvariantCulture) == decimal.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => string.IsNullOrEmpty(a) ? string.IsNullOrEmpty(b) : a == b,
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonSerializerOptions CreateFilterJson()
    {
        var options = new JsonSerializerOptions(MoonflowApiFactory.Json) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        return options;
    }

    private interface IKeyed
    {
        string Key { get; }
    }

    private sealed record ClientRow(string Document, DocumentType Type, string Name, string[] Tags, DateTimeOffset CreatedAt) : IKeyed
    {
        public string Key => Document;
    }

    private sealed record InteractionRow(
        string Key, string Client, InteractionDirection Direction, InteractionChannel Channel, InteractionStatus Status, Guid? Advisor, string? Campaign,
        string? Template, DateTimeOffset SendAt) : IKeyed;

    private sealed record OrderRow(string Number, string Client, DateOnly Issued, DateOnly Due, PaymentOrderStatus Status) : IKeyed
    {
        public string Key => Number;
    }

    /// <summary>A filters record, the keys of the rows it keeps, and the filters it sets (JSON names).</summary>
    private sealed record ContactRow(
        string Key, string Name, string[] Tags, Guid[] Bases, Guid Lot, Guid? Subcategory, Guid? User, int Attempts, bool DoNotCall, DateTimeOffset? LastContact) : IKeyed;

    private sealed record AgendaRow(string Key, string Contact, Guid Owner, AgendaStatus Status, DateTimeOffset DueAt) : IKeyed;

    private sealed record FilterCase(object Filter, IReadOnlyList<string> Keeps, IReadOnlyList<string> Sets);

    /// <param name="Rows">Every row of the tray in the tenant, in the tray's order, and whether it is in the range.</param>
    private sealed record TrayCases(
        string Tray, string KeyColumn, IReadOnlyList<(string Key, bool InRange)> Rows, Func<TenantScope, object, Task<IReadOnlyList<string>>> ListAsync,
        IReadOnlyList<FilterCase> Filters);
}

/// <summary>Its own database: the tests add a tenant and awkward rows.</summary>
public sealed class TrayFilesFactory : MoonflowApiFactory
{
    private readonly SemaphoreSlim _seeding = new(1, 1);
    private bool _seeded;

    public async Task SeedOnceAsync(Func<Task> seed)
    {
        await _seeding.WaitAsync();
        try
        {
            if (!_seeded)
            {
                await seed();
                _seeded = true;
            }
        }
        finally
        {
            _seeding.Release();
        }
    }
}
