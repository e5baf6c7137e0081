using Microsoft.EntityFrameworkCore;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Infrastructure.Persistence;

/// <summary>
/// Development data for the contact center of the demo tenant: 3 bases, 4 lots, resolutions, 5,000 contacts (some
/// do-not-call) with their call history, 1,200 agendas over the demo users, 500 conversations, 2 entities and a screen
/// whose scripts use <c>lblEtiqueta1</c> and <c>lblEtiqueta10</c>. The few catalog rows go through the aggregates; the
/// volume is set-based SQL, so the seed takes well under a second. Runs once: a tenant with bases is left alone.
/// </summary>
public sealed class CrmDemoSeeder(MoonflowDbContext db, TimeProvider clock)
{
    public const int DemoContacts = 5_000;
    public const int DemoAgendas = 1_200;
    public const int DemoConversations = 500;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var tenant = await db.Set<Tenant>().IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Slug == "demo", cancellationToken);
        if (tenant is null || await db.Set<CampaignBase>().IgnoreQueryFilters().AnyAsync(b => b.TenantId == tenant.Id, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var bases = new[] { "Campaña Cobranza Temprana", "Campaña Mora 30-60", "Campaña Recuperación" }.Select(n => CampaignBase.Create(tenant.Id, n, now)).ToList();
        var lots = Enumerable.Range(1, 4).Select(i => Lot.Create(tenant.Id, $"Lote {now.AddDays(-30 * (5 - i)):yyyy-MM} ({i})", now.AddDays(-30 * (5 - i)))).ToList();
        var contacted = Category.Create(tenant.Id, "Contactado", ["Promesa de pago", "Ya pagó", "Volver a llamar", "Rechaza pagar"], now);
        var notContacted = Category.Create(tenant.Id, "No contactado", ["No contesta", "Número equivocado", "Buzón de voz"], now);
        db.AddRange(bases);
        db.AddRange(lots);
        db.AddRange(contacted, notContacted);
        db.Add(CrmEntity.Define(tenant.Id, "Deudas", [
            new EntityField("producto", "Producto", EntityFieldType.List, true, ["Tarjeta de crédito", "Crédito de consumo", "Libranza"]),
            new EntityField("saldo", "Saldo", EntityFieldType.Number, true),
            new EntityField("vencimiento", "Fecha de vencimiento", EntityFieldType.Date),
            new EntityField("castigada", "Cartera castigada", EntityFieldType.Boolean),
        ], now));
        db.Add(CrmEntity.Define(tenant.Id, "Productos", [
            new EntityField("nombre", "Nombre", EntityFieldType.Text, true),
            new EntityField("tasa", "Tasa mensual", EntityFieldType.Number),
        ], now));
        var screen = Screen.Create(tenant.Id, "Gestión de cobranza", now);
        screen.AddSubScreen("Saludo", [("Apertura", "Buenos días, ¿hablo con {lblEtiqueta1}? Le llamamos de Demo Cartera S.A.S.")], now);
        screen.AddSubScreen("Negociación", [
            ("Saldo", "Su saldo pendiente es de {lblEtiqueta10}; ¿podemos acordar una fecha de pago?"),
            ("Objeciones", "Si el cliente dice que ya pagó, pida el número de comprobante."),
        ], now);
        screen.AddSubScreen("Cierre", [("Despedida", "Gracias {lblEtiqueta1}, que tenga un buen día.")], now);
        db.Add(screen);
        await db.SaveChangesAsync(cancellationToken);

        var baseIds = bases.Select(b => b.Id).ToArray();
        var lotIds = lots.Select(l => l.Id).ToArray();
        var subcategoryIds = contacted.Subcategories.Concat(notContacted.Subcategories).Select(s => s.Id).ToArray();

        // Contacts: every lot, one to three bases each, one in 25 do-not-call; attempts 0..6, the called ones managed last
        // by an agent or seller within the last 90 days.
        await db.Database.ExecuteSqlAsync($"""
            WITH users AS (SELECT array_agg(id ORDER BY email) AS ids FROM identity.users WHERE tenant_id = {tenant.Id} AND role IN ('Agent', 'Seller')),
                 names AS (SELECT ARRAY['Ana','Luis','María','Carlos','Sofía','Andrés','Valentina','Jorge','Camila','Diego','Laura','Felipe'] AS first,
                                  ARRAY['Gómez','Rodríguez','Martínez','López','García','Pérez','Sánchez','Ramírez','Torres','Díaz','Vargas','Castro'] AS last)
            INSERT INTO crm.contacts (id, tenant_id, name, document_type, document_number, phones, email, details, tags, do_not_call, lot_id, base_ids,
                attempts, last_contact_at, last_user_id, subcategory_id, dialable, created_at)
            SELECT gen_random_uuid(), {tenant.Id},
                   n.first[1 + g % 12] || ' ' || n.last[1 + (g / 12) % 12] || ' ' || n.last[1 + (g / 7) % 12],
                   CASE WHEN g % 10 = 0 THEN NULL ELSE (ARRAY['CC','CC','CC','CE','NIT'])[1 + g % 5] END,
                   CASE WHEN g % 10 = 0 THEN NULL ELSE (20000000 + g * 7)::text END,
                   ARRAY['+57 3' || lpad(((g * 7919) % 1000000000)::text, 9, '0')],
                   CASE WHEN g % 3 = 0 THEN 'contacto' || g || '@demo.example' END,
                   jsonb_build_object('ciudad', (ARRAY['Bogotá','Medellín','Cali','Barranquilla','Bucaramanga'])[1 + g % 5], 'saldo', 50000 + (g * 7919) % 5000000),
                   CASE WHEN g % 8 = 0 THEN ARRAY['vip'] WHEN g % 8 = 1 THEN ARRAY['acuerdo-de-pago'] ELSE ARRAY[]::text[] END,
                   g % 25 = 0,
                   ({lotIds})[1 + g % 4],
                   CASE g % 4 WHEN 0 THEN ARRAY[({baseIds})[1]] WHEN 1 THEN ARRAY[({baseIds})[1], ({baseIds})[2]]
                              WHEN 2 THEN ARRAY[({baseIds})[2]] ELSE ARRAY[({baseIds})[3]] END,
                   a.attempts,
                   CASE WHEN a.attempts > 0 THEN now() - make_interval(mins => (g * 337) % 129600) END,
                   CASE WHEN a.attempts > 0 THEN u.ids[1 + g % cardinality(u.ids)] END,
                   CASE WHEN a.attempts > 0 THEN ({subcategoryIds})[1 + g % {subcategoryIds.Length}] END,
                   g % 25 <> 0 AND a.attempts = 0,
                   now() - make_interval(days => 150 - (g % 4) * 30)
            FROM generate_series(1, {DemoContacts}) AS g
            CROSS JOIN names n CROSS JOIN users u
            CROSS JOIN LATERAL (SELECT g % 7 AS attempts) a
            """, cancellationToken);

        // Call history: one row per attempt, the last one as the contact shows it.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO crm.call_history (id, tenant_id, contact_id, at, user_id, subcategory_id, duration_seconds, note)
            SELECT gen_random_uuid(), c.tenant_id, c.id, c.last_contact_at - make_interval(days => k - 1), c.last_user_id,
                   CASE WHEN k = 1 THEN c.subcategory_id ELSE ({subcategoryIds})[5 + k % 3] END,
                   CASE WHEN k = 1 THEN 30 + abs(hashtext(c.id::text)) % 600 ELSE abs(hashtext(c.id::text || k)) % 40 END,
                   CASE WHEN k = 1 THEN 'Gestión registrada' END
            FROM crm.contacts c CROSS JOIN LATERAL generate_series(1, c.attempts) AS k
            WHERE c.tenant_id = {tenant.Id} AND c.attempts > 0
            """, cancellationToken);

        // Agendas over the demo users: mostly pending, spread over the next and the past three weeks.
        await db.Database.ExecuteSqlAsync($"""
            WITH users AS (SELECT array_agg(id ORDER BY email) AS ids FROM identity.users WHERE tenant_id = {tenant.Id} AND role IN ('Agent', 'Seller', 'Admin')),
                 contacts AS (SELECT row_number() OVER (ORDER BY id) AS n, id FROM crm.contacts WHERE tenant_id = {tenant.Id} AND NOT do_not_call)
            INSERT INTO crm.agendas (id, tenant_id, contact_id, owner_id, due_at, note, status, created_at, closed_at, closed_by)
            SELECT gen_random_uuid(), {tenant.Id}, c.id, u.ids[1 + g % cardinality(u.ids)],
                   date_trunc('hour', now()) + make_interval(hours => (g * 13) % 1008 - 504),
                   (ARRAY['Volver a llamar en la tarde','Confirmar promesa de pago','Llamar al número alterno','Enviar acuerdo por correo'])[1 + g % 4],
                   s.status, now() - interval '30 days',
                   CASE WHEN s.status <> 'Pending' THEN now() - make_interval(hours => g % 300) END,
                   CASE WHEN s.status <> 'Pending' THEN u.ids[1 + g % cardinality(u.ids)] END
            FROM generate_series(1, {DemoAgendas}) AS g
            CROSS JOIN users u
            JOIN contacts c ON c.n = 1 + (g * 3) % {DemoContacts - DemoContacts / 25}
            CROSS JOIN LATERAL (SELECT (ARRAY['Pending','Pending','Pending','Done','Cancelled'])[1 + g % 5] AS status) s
            """, cancellationToken);

        // Conversations on digital channels; the closed ones with a resolution.
        await db.Database.ExecuteSqlAsync($"""
            WITH users AS (SELECT array_agg(id ORDER BY email) AS ids FROM identity.users WHERE tenant_id = {tenant.Id} AND role IN ('Agent', 'Seller')),
                 contacts AS (SELECT row_number() OVER (ORDER BY id) AS n, id FROM crm.contacts WHERE tenant_id = {tenant.Id})
            INSERT INTO crm.conversations (id, tenant_id, external_id, channel, contact_id, status, subcategory_id, opened_at, closed_at, closed_by)
            SELECT gen_random_uuid(), {tenant.Id}, (ARRAY['wa','web','fb','ig','mail','sms'])[1 + g % 6] || '-' || lpad(g::text, 6, '0'),
                   (ARRAY['Whatsapp','Webchat','Facebook','Instagram','Email','Sms'])[1 + g % 6], c.id,
                   CASE WHEN g % 3 = 0 THEN 'Closed' ELSE 'Open' END,
                   CASE WHEN g % 3 = 0 THEN ({subcategoryIds})[1 + g % {subcategoryIds.Length}] END,
                   now() - make_interval(mins => g * 97),
                   CASE WHEN g % 3 = 0 THEN now() - make_interval(mins => g * 97 - 30) END,
                   CASE WHEN g % 3 = 0 THEN u.ids[1 + g % cardinality(u.ids)] END
            FROM generate_series(1, {DemoConversations}) AS g
            CROSS JOIN users u
            JOIN contacts c ON c.n = 1 + (g * 11) % {DemoContacts}
            """, cancellationToken);
    }
}
