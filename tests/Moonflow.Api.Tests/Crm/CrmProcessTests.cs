using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Processes;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Crm;

/// <summary>Every CRM process on real PostgreSQL and Hangfire, in chunks of 100 records: exact counts, items and rows.</summary>
[Collection(ApiCollection.Name)]
public sealed class CrmProcessTests(MoonflowApiFactory api)
{
    /// <summary>
    /// 250 contacts in a base (three chunks): attempts i % 4, do-not-call when i % 6 == 0, a call-history row per attempt,
    /// managed last by <paramref name="user"/>; and 20 contacts of the same lot outside the base, all called.
    /// </summary>
    private async Task<(Guid Base, Guid Lot, List<Guid> InBase, List<Guid> Outside)> CalledBaseAsync(HttpClient admin, Guid user)
    {
        var baseId = await CrmTestData.BaseAsync(admin);
        var lotId = await CrmTestData.LotAsync(admin);
        var inBase = await CrmTestData.ContactsAsync(
            api, "demo", 250, baseId, lotId, attempts: i => i % 4, user: i => i % 4 == 0 ? null : user, doNotCall: i => i % 6 == 0, calls: i => i % 4,
            lastContact: i => i % 4 == 0 ? null : DateTimeOffset.UtcNow.AddDays(-1));
        var outside = await CrmTestData.ContactsAsync(api, "demo", 20, null, lotId, attempts: _ => 2, user: _ => user, calls: _ => 2, lastContact: _ => DateTimeOffset.UtcNow);
        return (baseId, lotId, inBase, outside);
    }

    private static int Matching(int i) => i % 4 != 0 ? 1 : 0;

    [Fact]
    public async Task Recycle_WhenFiltersMatch_TheRunEqualsThePreview_DeletesHistoryAndSkipsDoNotCall()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var seller = await api.SignInAsync("seller@demo.test");
        var agentId = await CrmTestData.UserIdAsync(await api.SignInAsync("agent@demo.test"));
        var (baseId, _, inBase, outside) = await CalledBaseAsync(admin, agentId);
        var body = new { baseId, attemptsGreaterThan = 0, userIds = new[] { agentId } };
        var matched = Enumerable.Range(0, 250).Count(i => Matching(i) == 1);
        var doNotCall = Enumerable.Range(0, 250).Count(i => Matching(i) == 1 && i % 6 == 0);

        var preview = await (await seller.PostAsJsonAsync("/api/v1/crm/contacts/recycle/preview", body)).ReadJsonAsync();
        var processId = await seller.StartAsync("/api/v1/crm/contacts/recycle", body);
        var process = await seller.WaitForProcessAsync(processId);

        Assert.Equal(matched, preview.GetProperty("matched").GetInt64());
        Assert.Equal(doNotCall, preview.GetProperty("doNotCall").GetInt64());
        Assert.Equal(matched - doNotCall, preview.GetProperty("willChange").GetInt64());
        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal("crm_contacts_recycle", process.GetProperty("type").GetString());
        Assert.Equal(matched, process.GetProperty("total").GetInt64());
        Assert.Equal(matched, process.GetProperty("succeeded").GetInt64());
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, processId);
        Assert.Equal(matched - doNotCall, items.Count(i => i.GetProperty("outcome").GetString() == "succeeded"));
        var skipped = items.Where(i => i.GetProperty("outcome").GetString() == "skipped").ToList();
        Assert.Equal(doNotCall, skipped.Count);
        Assert.All(skipped, i => Assert.Contains("Do-not-call", i.GetProperty("message").GetString()));

        var state = await StateAsync(inBase.Concat(outside));
        for (var i = 0; i < 250; i++)
        {
            var (attempts, calls, lastUser, dialable) = state[inBase[i]];
            var reset = Matching(i) == 1 && i % 6 != 0;
            Assert.Equal(reset ? (0, 0, false, true) : (i % 4, i % 4, i % 4 != 0, i % 4 == 0 && i % 6 != 0), (attempts, calls, lastUser, dialable));
        }

        Assert.All(outside, id => Assert.Equal((2, 2), (state[id].Attempts, state[id].Calls)));
    }

    [Fact]
    public async Task Reprocess_WhenRun_MakesTheSameContactsDialableButKeepsTheirCallHistory()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var agentId = await CrmTestData.UserIdAsync(await api.SignInAsync("agent@demo.test"));
        var (baseId, _, inBase, _) = await CalledBaseAsync(admin, agentId);
        var body = new { baseId, attemptsLessThan = 3, attemptsGreaterThan = 0 };

        var preview = await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/reprocess/preview", body)).ReadJsonAsync();
        var process = await admin.WaitForProcessAsync(await admin.StartAsync("/api/v1/crm/contacts/reprocess", body));

        var matched = Enumerable.Range(0, 250).Where(i => i % 4 is 1 or 2).ToList();
        var doNotCall = matched.Count(i => i % 6 == 0);
        Assert.Equal((matched.Count, doNotCall, matched.Count - doNotCall), (preview.GetProperty("matched").GetInt64(), preview.GetProperty("doNotCall").GetInt64(), preview.GetProperty("willChange").GetInt64()));
        Assert.Equal("crm_contacts_reprocess", process.GetProperty("type").GetString());
        Assert.Equal(matched.Count, process.GetProperty("total").GetInt64());
        var state = await StateAsync(inBase);
        foreach (var i in matched)
        {
            Assert.Equal(i % 6 == 0 ? (i % 4, i % 4) : (0, i % 4), (state[inBase[i]].Attempts, state[inBase[i]].Calls));
        }

        // A second reprocess has nothing to reset; a recycle still has the kept history to delete.
        var again = await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/reprocess/preview", body)).ReadJsonAsync();
        Assert.Equal((doNotCall, doNotCall, 0), (again.GetProperty("matched").GetInt64(), again.GetProperty("doNotCall").GetInt64(), again.GetProperty("willChange").GetInt64()));
        var recycle = await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/recycle/preview", new { baseId, attemptsLessThan = 1 })).ReadJsonAsync();
        var fresh = Enumerable.Range(0, 250).Where(i => i % 6 != 0 && (i % 4 == 0 || i % 4 is 1 or 2)).ToList();
        Assert.Equal(fresh.Count(i => i % 4 is 1 or 2), recycle.GetProperty("willChange").GetInt64());
    }

    [Fact]
    public async Task Recycle_WhenGivenALastContactRange_TakesTheTenantsDaysInclusive()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        DateTimeOffset[] at =
        [
            new(2026, 11, 10, 4, 59, 0, TimeSpan.Zero), // 23:59 of the 9th in Bogotá: out
            new(2026, 11, 10, 5, 0, 0, TimeSpan.Zero), // 00:00 of the 10th: in
            new(2026, 11, 13, 4, 59, 0, TimeSpan.Zero), // 23:59 of the 12th: in
            new(2026, 11, 13, 5, 0, 0, TimeSpan.Zero), // 00:00 of the 13th: out
        ];
        var ids = await CrmTestData.ContactsAsync(api, "demo", 4, baseId, null, attempts: _ => 1, lastContact: i => at[i]);

        var preview = await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/recycle/preview", new { baseId, lastContactFrom = "2026-11-10", lastContactTo = "2026-11-12" })).ReadJsonAsync();
        var processId = await admin.StartAsync("/api/v1/crm/contacts/recycle", new { baseId, lastContactFrom = "2026-11-10", lastContactTo = "2026-11-12" });
        await admin.WaitForProcessAsync(processId);

        Assert.Equal(2, preview.GetProperty("matched").GetInt64());
        var state = await StateAsync(ids);
        Assert.Equal([1, 0, 0, 1], ids.Select(id => state[id].Attempts));
        var inverted = await admin.PostAsJsonAsync("/api/v1/crm/contacts/recycle", new { baseId, lastContactFrom = "2026-11-12", lastContactTo = "2026-11-10" });
        await inverted.AssertProblemAsync(HttpStatusCode.BadRequest, "criteria_match_nothing");
    }

    [Fact]
    public async Task Processes_WhenAnIdIsAnotherTenantsOrTheCallerMayNotRunThem_AreRefusedAndStartNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var (foreignBase, foreignLot) = (await CrmTestData.BaseAsync(acme), await CrmTestData.LotAsync(acme));
        var foreignSub = (await CrmTestData.SubcategoriesAsync(acme, "No contesta"))[0];
        var acmeUser = await CrmTestData.UserIdAsync(acme);
        var (ourBase, ourLot) = (await CrmTestData.BaseAsync(admin), await CrmTestData.LotAsync(admin));
        var agentId = await CrmTestData.UserIdAsync(await api.SignInAsync("agent@demo.test"));
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes");

        await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/recycle", new { baseId = foreignBase })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/recycle/preview", new { baseId = foreignBase })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/reprocess", new { baseId = ourBase, userIds = new[] { acmeUser } })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/reprocess", new { baseId = ourBase, subcategoryIds = new[] { foreignSub } })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync($"/api/v1/crm/bases/{foreignBase}/associate", new { lotId = ourLot })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync($"/api/v1/crm/bases/{ourBase}/associate", new { lotId = foreignLot })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync($"/api/v1/crm/bases/{ourBase}/dissociate", new { lotId = foreignLot })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { acmeUser }, toUserIds = new[] { agentId } })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { agentId }, toUserIds = new[] { acmeUser } })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsJsonAsync("/api/v1/crm/contacts/bulk/tags", new { filter = new { baseId = foreignBase }, add = new[] { "x" } })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        foreach (var email in new[] { "viewer@demo.test", "agent@demo.test" })
        {
            var caller = await api.SignInAsync(email);
            var problem = await (await caller.PostAsJsonAsync("/api/v1/crm/contacts/recycle", new { baseId = ourBase })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            Assert.Contains("crm.processes", problem.GetProperty("detail").GetString());
            await (await caller.PostAsJsonAsync("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { agentId }, toUserIds = new[] { Guid.NewGuid() } })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await caller.PostAsJsonAsync($"/api/v1/crm/bases/{ourBase}/associate", new { lotId = ourLot })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await caller.PostAsJsonAsync("/api/v1/crm/contacts/bulk/delete", new { contactIds = new[] { Guid.NewGuid() } })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes"));
    }

    [Fact]
    public async Task Reassign_WhenRun_DealsThePendingAgendasRoundRobinByDueDate()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var leaving = await CrmTestData.UserAsync(api, "demo", "Asesor que se va");
        var other = await CrmTestData.UserAsync(api, "demo", "Asesor que se queda");
        var (first, second, third) = (await CrmTestData.UserAsync(api, "demo", "Ana Destino"), await CrmTestData.UserAsync(api, "demo", "Beto Destino"), await CrmTestData.UserAsync(api, "demo", "Caro Destino"));
        var pending = await CrmTestData.AgendasAsync(api, contact, leaving, 250, DateTimeOffset.UtcNow.AddDays(1));
        var pendingOfOther = await CrmTestData.AgendasAsync(api, contact, other, 5, DateTimeOffset.UtcNow.AddDays(1));
        var done = await CrmTestData.AgendasAsync(api, contact, leaving, 4, DateTimeOffset.UtcNow.AddDays(-3), "Done");

        var processId = await admin.StartAsync("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { leaving }, toUserIds = new[] { first, second, third } });
        var process = await admin.WaitForProcessAsync(processId);

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(250, process.GetProperty("total").GetInt64());
        Assert.Equal(250, process.GetProperty("succeeded").GetInt64());
        var owners = await OwnersAsync(pending.Concat(pendingOfOther).Concat(done));
        Guid[] targets = [first, second, third];
        Assert.Equal(Enumerable.Range(0, 250).Select(i => targets[i % 3]), pending.Select(id => owners[id]));
        Assert.All(pendingOfOther, id => Assert.Equal(other, owners[id]));
        Assert.All(done, id => Assert.Equal(leaving, owners[id]));
        var counts = targets.Select(t => pending.Count(id => owners[id] == t)).ToList();
        Assert.Equal([84, 83, 83], counts);
        var items = await BulkClientActionsTests.ReadAllItemsAsync(admin, processId);
        Assert.Equal(pending.Select(id => id.ToString()), items.Select(i => i.GetProperty("recordKey").GetString()));
        Assert.Equal("Reassigned to Beto Destino.", items[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Reassign_WhenATargetIsInactiveOrOnBothSides_Returns400()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var from = await CrmTestData.UserAsync(api, "demo", "Origen");
        var inactive = await CrmTestData.UserAsync(api, "demo", "Inactivo", active: false);

        var toInactive = await admin.PostAsJsonAsync("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { from }, toUserIds = new[] { inactive } });
        var both = await admin.PostAsJsonAsync("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { from }, toUserIds = new[] { from } });

        Assert.True((await toInactive.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("toUserIds", out _));
        await both.AssertProblemAsync(HttpStatusCode.BadRequest, "reassign_users_invalid");
    }

    [Fact]
    public async Task Associate_WhenSomeOfTheLotAreAlreadyInTheBase_AddsTheRestAndSkipsThem()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var (baseId, otherBase, lotId) = (await CrmTestData.BaseAsync(admin), await CrmTestData.BaseAsync(admin), await CrmTestData.LotAsync(admin));
        var fresh = await CrmTestData.ContactsAsync(api, "demo", 230, otherBase, lotId);
        var already = await CrmTestData.ContactsAsync(api, "demo", 20, baseId, lotId);
        await CrmTestData.ContactsAsync(api, "demo", 7, null, null);

        var processId = await admin.StartAsync($"/api/v1/crm/bases/{baseId}/associate", new { lotId });
        var process = await admin.WaitForProcessAsync(processId);

        Assert.Equal(("completed", 250L, 250L), (process.GetProperty("status").GetString(), process.GetProperty("total").GetInt64(), process.GetProperty("succeeded").GetInt64()));
        var items = await BulkClientActionsTests.ReadAllItemsAsync(admin, processId);
        Assert.Equal(230, items.Count(i => i.GetProperty("outcome").GetString() == "succeeded"));
        Assert.Equal(20, items.Count(i => i.GetProperty("outcome").GetString() == "skipped" && i.GetProperty("message").GetString() == "Already in the base."));
        var bases = await CrmTestData.AllItemsAsync(admin, "/api/v1/crm/bases");
        Assert.Equal(250, bases.Single(b => b.GetProperty("id").GetGuid() == baseId).GetProperty("contactCount").GetInt64());
        Assert.Equal(230, bases.Single(b => b.GetProperty("id").GetGuid() == otherBase).GetProperty("contactCount").GetInt64());
        Assert.Equal(250, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts WHERE lot_id = @lot AND array_position(base_ids, @base) IS NOT NULL AND cardinality(base_ids) = array_length(ARRAY(SELECT DISTINCT unnest(base_ids)), 1)", ("lot", lotId), ("base", baseId)));
        Assert.Equal(fresh.Count + already.Count, items.Count);
    }

    [Fact]
    public async Task Dissociate_WhenByLotOrBySubcategory_RemovesExactlyTheMatchingContactsAndNeedsACriterion()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var (baseId, lotA, lotB) = (await CrmTestData.BaseAsync(admin), await CrmTestData.LotAsync(admin), await CrmTestData.LotAsync(admin));
        var subs = await CrmTestData.SubcategoriesAsync(admin, "Número equivocado", "Promesa de pago");
        var ofA = await CrmTestData.ContactsAsync(api, "demo", 150, baseId, lotA, attempts: _ => 1, subcategory: i => subs[i % 2]);
        var ofB = await CrmTestData.ContactsAsync(api, "demo", 60, baseId, lotB, attempts: _ => 1, subcategory: i => subs[i % 2]);

        var neither = await admin.PostAsJsonAsync($"/api/v1/crm/bases/{baseId}/dissociate", new { subcategoryIds = Array.Empty<Guid>() });
        var byLot = await admin.WaitForProcessAsync(await admin.StartAsync($"/api/v1/crm/bases/{baseId}/dissociate", new { lotId = lotA }));
        var bySub = await admin.WaitForProcessAsync(await admin.StartAsync($"/api/v1/crm/bases/{baseId}/dissociate", new { subcategoryIds = new[] { subs[0] } }));

        await neither.AssertProblemAsync(HttpStatusCode.BadRequest, "dissociate_needs_criterion");
        Assert.Equal((150L, 150L), (byLot.GetProperty("total").GetInt64(), byLot.GetProperty("succeeded").GetInt64()));
        Assert.Equal(30, bySub.GetProperty("total").GetInt64());
        var left = await CrmTestData.AllItemsAsync(admin, $"/api/v1/crm/contacts?baseId={baseId}");
        Assert.Equal(ofB.Where((_, i) => i % 2 == 1).Order(), left.Select(c => c.GetProperty("id").GetGuid()).Order());
    }

    [Fact]
    public async Task BulkTagsAndDelete_WhenFromAFilterOrListedIds_ChangeExactlyThoseContacts()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var tag = CrmTestData.Unique("t");
        var tagged = await CrmTestData.ContactsAsync(api, "demo", 230, null, null, tag: tag, attempts: _ => 1, calls: _ => 1);
        var foreign = (await CrmTestData.ContactsAsync(api, "acme", 1, null, null, tag: tag))[0];
        var agentId = await CrmTestData.UserIdAsync(await api.SignInAsync("agent@demo.test"));
        await CrmTestData.AgendasAsync(api, tagged[0], agentId, 2, DateTimeOffset.UtcNow.AddDays(1));

        var tagging = await admin.WaitForProcessAsync(await admin.StartAsync("/api/v1/crm/contacts/bulk/tags", new { filter = new { tag }, add = new[] { "Recuperado" }, remove = new[] { tag } }));
        var deleteId = await admin.StartAsync("/api/v1/crm/contacts/bulk/delete", new { contactIds = tagged.Take(3).Append(foreign) });
        var deleting = await admin.WaitForProcessAsync(deleteId);

        Assert.Equal((230L, 230L), (tagging.GetProperty("total").GetInt64(), tagging.GetProperty("succeeded").GetInt64()));
        Assert.Equal(0, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts WHERE tenant_id <> (SELECT id FROM identity.tenants WHERE slug = 'acme') AND @tag = ANY(tags)", ("tag", tag)));
        Assert.Equal(227, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts WHERE id = ANY(@ids) AND 'recuperado' = ANY(tags)", ("ids", tagged.ToArray()))); // 3 deleted since
        Assert.Equal(1, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts WHERE id = @id AND @tag = ANY(tags)", ("id", foreign), ("tag", tag)));
        Assert.Equal(("completed_with_errors", 3L, 1L), (deleting.GetProperty("status").GetString(), deleting.GetProperty("succeeded").GetInt64(), deleting.GetProperty("failed").GetInt64()));
        Assert.Equal(0, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.call_history WHERE contact_id = ANY(@ids)", ("ids", tagged.Take(3).ToArray())));
        Assert.Equal(0, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.agendas WHERE contact_id = @id", ("id", tagged[0])));
        var items = await BulkClientActionsTests.ReadAllItemsAsync(admin, deleteId);
        Assert.Equal(foreign.ToString(), items.Single(i => i.GetProperty("outcome").GetString() == "failed").GetProperty("recordKey").GetString());
    }

    [Fact]
    public async Task Recycle_WhenTheIdempotencyKeyIsReused_ReplaysTheSameProcessOrRefusesAnotherBody()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> SendAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/crm/contacts/recycle") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await admin.SendAsync(request);
        }

        var first = await (await SendAsync(new { baseId })).ReadJsonAsync(HttpStatusCode.Accepted);
        var replay = await (await SendAsync(new { baseId })).ReadJsonAsync(HttpStatusCode.Accepted);
        var other = await SendAsync(new { baseId, attemptsLessThan = 2 });

        Assert.Equal(first.GetProperty("processId").GetGuid(), replay.GetProperty("processId").GetGuid());
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    private Task<Dictionary<Guid, (int Attempts, long Calls, bool LastUser, bool Dialable)>> StateAsync(IEnumerable<Guid> ids) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT c.id, c.attempts, (SELECT count(*) FROM crm.call_history h WHERE h.contact_id = c.id), c.last_user_id IS NOT NULL, c.dialable FROM crm.contacts c WHERE c.id = ANY(@ids)",
                db);
            command.Parameters.AddWithValue("ids", ids.ToArray());
            var state = new Dictionary<Guid, (int, long, bool, bool)>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                state[reader.GetGuid(0)] = (reader.GetInt32(1), reader.GetInt64(2), reader.GetBoolean(3), reader.GetBoolean(4));
            }

            return state;
        });

    private Task<Dictionary<Guid, Guid>> OwnersAsync(IEnumerable<Guid> ids) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new Npgsql.NpgsqlCommand("SELECT id, owner_id FROM crm.agendas WHERE id = ANY(@ids)", db);
            command.Parameters.AddWithValue("ids", ids.ToArray());
            var owners = new Dictionary<Guid, Guid>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                owners[reader.GetGuid(0)] = reader.GetGuid(1);
            }

            return owners;
        });

    [Fact]
    public async Task Processes_WhenTheBodyNamesAnUnknownMember_Return400NamingItAndStartNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var lotId = await CrmTestData.LotAsync(admin);
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes");

        // A misspelt filter must not silently widen what a process touches.
        var cases = new (string Url, object Body, string Member)[]
        {
            ("/api/v1/crm/contacts/recycle", new { baseId, attemptsLesThan = 3 }, "attemptsLesThan"),
            ("/api/v1/crm/contacts/reprocess/preview", new { baseId, users = new[] { Guid.NewGuid() } }, "users"),
            ("/api/v1/crm/agendas/reassign", new { fromUserIds = new[] { Guid.NewGuid() }, toUserIds = new[] { Guid.NewGuid() }, fairly = true }, "fairly"),
            ($"/api/v1/crm/bases/{baseId}/associate", new { lotId, baseId }, "baseId"),
            ($"/api/v1/crm/bases/{baseId}/dissociate", new { lot = lotId }, "lot"),
            ("/api/v1/crm/contacts/bulk/tags", new { filter = new { baseId, tags = "x" }, add = new[] { "a" } }, "tags"),
        };
        foreach (var (url, body, member) in cases)
        {
            var problem = await (await admin.PostAsJsonAsync(url, body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), $"{url}: {problem}");
        }

        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes"));
    }
}
