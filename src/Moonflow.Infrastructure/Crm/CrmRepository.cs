using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm;
using Moonflow.Domain.Crm;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Crm;

internal sealed class CrmRepository(MoonflowDbContext db) : ICrmRepository
{
    public void Add(Contact contact) => db.Add(contact);

    public void Add(CallRecord call) => db.Add(call);

    public void Add(CampaignBase campaignBase) => db.Add(campaignBase);

    public void Add(Lot lot) => db.Add(lot);

    public void Add(Category category) => db.Add(category);

    public void Add(Agenda agenda) => db.Add(agenda);

    public void Add(CrmEntity entity) => db.Add(entity);

    public void Add(EntityRecord record) => db.Add(record);

    public void Add(Screen screen) => db.Add(screen);

    public async Task<Contact?> GetContactAsync(Guid id, CancellationToken cancellationToken)
    {
        // Locked: two calls logged at once on a contact must both count as attempts, and a process chunk touching it waits.
        var locked = await db.Set<Contact>()
            .FromSql($"SELECT * FROM crm.contacts WHERE id = {id} AND tenant_id = {db.CurrentTenantId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return locked.Count == 0 ? null : locked[0];
    }

    public async Task<Agenda?> GetAgendaAsync(Guid id, CancellationToken cancellationToken)
    {
        // Locked: a completion and a reassign chunk on the same agenda are serialised, so neither overwrites the other.
        var locked = await db.Set<Agenda>()
            .FromSql($"SELECT * FROM crm.agendas WHERE id = {id} AND tenant_id = {db.CurrentTenantId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return locked.Count == 0 ? null : locked[0];
    }

    public Task<CrmEntity?> GetEntityAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<CrmEntity>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    public Task<bool> DocumentExistsAsync(string documentType, string documentNumber, CancellationToken cancellationToken) =>
        db.Set<Contact>().AnyAsync(c => c.DocumentType == documentType && c.DocumentNumber == documentNumber, cancellationToken);
}
