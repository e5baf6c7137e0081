using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Identity;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Infrastructure.Persistence;

/// <summary>Development data, so that a first run shows something: two tenants, a user per role, a few hundred clients.</summary>
public sealed class DemoDataSeeder(MoonflowDbContext db, IPasswordHasher hasher, TimeProvider clock)
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
