using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Api.Tests.Crm;

/// <summary>The demo contact center on a database of its own, so that no other test's rows change its counts.</summary>
public sealed class CrmDemoSeedTests(CrmDemoSeedTests.SeedFactory api) : IClassFixture<CrmDemoSeedTests.SeedFactory>
{
    private const string Counts = """
        SELECT (SELECT count(*) FROM crm.bases b WHERE b.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.lots l WHERE l.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.contacts c WHERE c.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.contacts c WHERE c.tenant_id = t.id AND c.do_not_call AND NOT c.dialable) || ',' ||
               (SELECT count(*) FROM crm.call_history h WHERE h.tenant_id = t.id) || ',' ||
               (SELECT sum(attempts) FROM crm.contacts c WHERE c.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.agendas a WHERE a.tenant_id = t.id) || ',' ||
               (SELECT count(DISTINCT owner_id) FROM crm.agendas a WHERE a.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.conversations v WHERE v.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.entities e WHERE e.tenant_id = t.id) || ',' ||
               (SELECT count(*) FROM crm.scripts s WHERE s.tenant_id = t.id AND s.text LIKE '%lblEtiqueta1}%') || ',' ||
               (SELECT count(*) FROM crm.scripts s WHERE s.tenant_id = t.id AND s.text LIKE '%lblEtiqueta10}%')
        FROM identity.tenants t WHERE t.slug = 'demo'
        """;

    [Fact]
    public async Task Seed_WhenTheApiStartsInDevelopment_FillsTheDemoContactCenterOnce()
    {
        var first = await CrmTestData.ScalarAsync<string>(api, Counts);
        await using (var scope = api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CrmDemoSeeder>().SeedAsync(CancellationToken.None);
        }

        var again = await CrmTestData.ScalarAsync<string>(api, Counts);
        var values = first.Split(',').Select(long.Parse).ToArray();

        Assert.Equal(first, again);
        Assert.Equal([3, 4, 5000], values[..3]);
        Assert.Equal(200, values[3]);
        Assert.Equal(values[5], values[4]); // one call-history row per attempt
        Assert.True(values[4] > 10_000, $"only {values[4]} calls");
        Assert.Equal(1200, values[6]);
        Assert.Equal(3, values[7]); // admin, seller and agent own agendas
        Assert.Equal([500, 2], values[8..10]);
        Assert.True(values[10] >= 1 && values[11] >= 1, "scripts using lblEtiqueta1 and lblEtiqueta10");
    }

    [Fact]
    public async Task Seed_WhenAnAgentSignsIn_TheySeeTheirOwnDemoAgendasOnly()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var agentId = await CrmTestData.UserIdAsync(agent);

        var agendas = await CrmTestData.ItemsAsync(agent, "/api/v1/crm/agendas?status=pending&limit=200");

        Assert.NotEmpty(agendas);
        Assert.All(agendas, a => Assert.Equal(agentId, a.GetProperty("ownerId").GetGuid()));
    }

    public sealed class SeedFactory : MoonflowApiFactory
    {
        protected override bool RunJobServer => false;
    }
}
