using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Identity;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Infrastructure.Persistence;

/// <summary>Development data, so that a first run shows something: two tenants, a user per role, a few hundred clients.</summary>
public sealed class DemoDataSeeder(MoonflowDbContext db, IPasswordHasher hasher, TimeProvider clock, DemoDocumentsSeeder documents)
{
    public const string Password = "Moonflow!2026";
    public const int DemoClients = 300;

    private static readonly string[] FirstNames = ["Ana", "Luis", "María", "Carlos", "Sofía", "Andrés", "Valentina", "Jorge", "Camila", "Diego", "Laura", "Felipe"];
    private static readonly string[] LastNames = ["Gómez", "Rodríguez", "Martínez", "López", "García", "Pérez", "Sánchez", "Ramírez", "Torres", "Díaz", "Vargas", "Castro"];
    private static readonly string[] Companies = ["Distribuidora", "Comercializadora", "Inversiones", "Transportes", "Servicios", "Construcciones"];
    private static readonly string[] Tags = ["vip", "moroso", "nuevo", "corporativo", "acuerdo-de-pago", "contactado"];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Set<Tenant>().AnyAsync(t => t.Slug == "demo", cancellationToken))
        {
            // A database seeded before the demo had documents gets them now.
            await documents.SeedAsync("demo", "admin@demo.test", cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        var demo = Tenant.Create("demo", "Demo Cartera S.A.S.", "America/Bogota", now);
        var acme = Tenant.Create("acme", "Acme Cobranzas", "America/Mexico_City", now);
        db.AddRange(demo, acme);

        var admin = AddUser(demo, "admin@demo.test", "Demo Admin", Role.Admin, now);
        admin.Grant(Permissions.BackupsRequest);
        AddUser(demo, "seller@demo.test", "Demo Seller", Role.Seller, now);
        AddUser(demo, "agent@demo.test", "Demo Agent", Role.Agent, now);
        AddUser(demo, "viewer@demo.test", "Demo Viewer", Role.Viewer, now);
        AddUser(acme, "admin@acme.test", "Acme Admin", Role.Admin, now);

        AddClients(demo, DemoClients, now);
        AddClients(acme, 25, now);
        await db.SaveChangesAsync(cancellationToken);

        await SeedVolumeAsync(demo.Id, DemoInteractions, cancellationToken);
        await SeedVolumeAsync(acme.Id, 500, cancellationToken);
        await documents.SeedAsync("demo", "admin@demo.test", cancellationToken);
    }

    public const int DemoInteractions = 30_000;

    /// <summary>
    /// Realistic volume, set-based: interactions over the last 120 days across channels and statuses, and two
    /// payment orders per client in every status.
    /// </summary>
    private async Task SeedVolumeAsync(Guid tenantId, int interactions, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            WITH numbered AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM receivables.clients WHERE tenant_id = {tenantId}),
                 total AS (SELECT count(*) AS k FROM numbered),
                 advisors AS (SELECT row_number() OVER (ORDER BY email) - 1 AS n, id, display_name FROM identity.users
                              WHERE tenant_id = {tenantId} AND role IN ('Agent', 'Seller'))
            INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name,
                direction, channel, status, scheduled_at, sent_at, send_at, campaign, template, portfolio, advisor_id, advisor_name,
                recipients, message, error_message, source, created_at)
            SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name,
                   CASE WHEN g % 7 = 0 THEN 'Inbound' ELSE 'Outbound' END,
                   (ARRAY['Whatsapp','Sms','Email','Voice','Push'])[1 + g % 5],
                   s.status,
                   CASE WHEN s.status = 'Scheduled' THEN t.at END,
                   CASE WHEN s.status <> 'Scheduled' THEN t.at END,
                   t.at,
                   (ARRAY['Recordatorio de pago','Cobro preventivo','Mora 30 días','Acuerdo de pago','Bienvenida'])[1 + g % 5],
                   (ARRAY['recordatorio_v2','aviso_mora','confirmacion_pago','saludo_inicial'])[1 + g % 4],
                   (ARRAY['Cartera corriente','Cartera vencida','Castigada'])[1 + g % 3],
                   a.id, a.display_name,
                   CASE (g % 5) WHEN 2 THEN COALESCE(c.email, 'sin-correo@example.com') ELSE COALESCE(c.phone, '+57 3000000000') END,
                   'Hola ' || split_part(c.name, ' ', 1) || ', te recordamos tu saldo pendiente.',
                   CASE WHEN s.status = 'Failed' THEN 'Número no válido o fuera de servicio' END,
                   'Platform', now()
            FROM generate_series(1, {interactions}) AS g
            CROSS JOIN total
            JOIN numbered AS c ON c.n = g % total.k
            CROSS JOIN LATERAL (SELECT (ARRAY['Sent','Delivered','Read','Unread','Failed','Read','Delivered','Scheduled'])[1 + g % 8] AS status) AS s
            CROSS JOIN LATERAL (SELECT CASE WHEN s.status = 'Scheduled' THEN now() + make_interval(mins => g % 10000)
                                            ELSE now() - make_interval(secs => g * 337 % 10368000) END AS at) AS t
            LEFT JOIN advisors AS a ON a.n = g % 2
            ON CONFLICT DO NOTHING
            """, cancellationToken);

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO receivables.payment_orders (id, tenant_id, number, client_id, issue_date, due_date, amount, currency, balance, status, created_at)
            SELECT gen_random_uuid(), c.tenant_id, 'OP-' || lpad((row_number() OVER (ORDER BY c.id, k))::text, 6, '0'), c.id,
                   d.issue, d.issue + 30, a.amount, 'COP', b.balance,
                   CASE WHEN b.balance = 0 THEN 'Paid'
                        WHEN k = 3 THEN 'Cancelled'
                        WHEN d.issue + 30 < current_date THEN 'Overdue'
                        WHEN b.balance < a.amount THEN 'PartiallyPaid'
                        ELSE 'Pending' END,
                   now()
            FROM receivables.clients c
            CROSS JOIN generate_series(1, 3) AS k
            CROSS JOIN LATERAL (SELECT current_date - ((abs(hashtext(c.id::text || k)) % 120))::int AS issue) AS d
            CROSS JOIN LATERAL (SELECT round((50000 + abs(hashtext(c.document_number || k)) % 5000000)::numeric, 2) AS amount) AS a
            CROSS JOIN LATERAL (SELECT CASE abs(hashtext(c.name || k)) % 4 WHEN 0 THEN 0 WHEN 1 THEN round(a.amount / 2, 2) ELSE a.amount END AS balance) AS b
            WHERE c.tenant_id = {tenantId}
            """, cancellationToken);
    }

    private User AddUser(Tenant tenant, string email, string name, Role role, DateTimeOffset now)
    {
        var user = User.Create(tenant.Id, email, name, role, "pending", now);
        user.ChangePasswordHash(hasher.Hash(user, Password));
        db.Add(user);
        return user;
    }

    private void AddClients(Tenant tenant, int count, DateTimeOffset now)
    {
        var random = new Random(tenant.Slug.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        for (var i = 0; i < count; i++)
        {
            var isCompany = i % 5 == 0;
            var name = isCompany
                ? $"{Companies[random.Next(Companies.Length)]} {LastNames[random.Next(LastNames.Length)]} S.A.S."
                : $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
            var document = isCompany ? (900_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) : (10_000_000 + (i * 7919)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var tags = Tags.Where(_ => random.Next(4) == 0).ToList();
            db.Add(Client.Create(
                tenant.Id, isCompany ? DocumentType.NIT : DocumentType.CC, document, name,
                $"cliente{i}@{tenant.Slug}.example", $"+57 3{random.Next(100_000_000, 999_999_999)}", tags, now.AddMinutes(-count + i)));
        }
    }
}
