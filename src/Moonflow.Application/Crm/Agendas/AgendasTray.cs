using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Agendas;

/// <summary>The agendas tray, for its list and downloads: by due date.</summary>
public sealed class AgendasTray : TrayDefinition<Agenda, AgendaFilter>
{
    public const string Name = "agendas";

    private static readonly TrayJoin AgendaContact = Join<Contact>(a => a.ContactId);
    private static readonly TrayJoin AgendaOwner = Join<User>(a => a.OwnerId);

    private AgendasTray()
        : base(Name, new AgendaFilter(), (a, range) => a.DueAt >= range.Start && a.DueAt < range.End, a => a.DueAt, a => a.Id)
    {
        Column("dueAt", "Fecha de agenda", "Due at", a => a.DueAt);
        Column<Contact>("contactName", "Contacto", "Contact", AgendaContact, c => c.Name, width: 32);
        Column<Contact>("contactDocument", "Documento", "Document", AgendaContact, c => c.DocumentNumber, width: 18);
        Column<User>("owner", "Usuario", "Owner", AgendaOwner, u => u.DisplayName, width: 24);
        Column("status", "Estado", "Status", a => a.Status, width: 12);
        Column("note", "Nota", "Note", a => a.Note, width: 40);
        Column("closedAt", "Fecha de cierre", "Closed at", a => a.ClosedAt, shownByDefault: false);

        Filter(f => f.OwnerId, "a user's id: the agendas they own", (a, ownerId) => a.OwnerId == ownerId);
        Filter(f => f.Status, null, (a, status) => a.Status == status);
        Filter(f => f.ContactId, "a contact's id", (a, contactId) => a.ContactId == contactId);
        Filter(f => f.DueFrom, "due at or after", (a, from) => a.DueAt >= from.ToUniversalTime(), inDownloads: false);
        Filter(f => f.DueTo, "due at or before", (a, to) => a.DueAt <= to.ToUniversalTime(), inDownloads: false);

        // Agents download their own agendas only, as they list them; asking for someone else's is refused, not emptied.
        RowsVisibleTo((caller, filter) => caller.SeesEveryAgenda() ? filter
            : filter.OwnerId is { } owner && owner != caller.UserId
                ? throw new ForbiddenException("Agents download only their own agendas: leave ownerId out or give your own id.")
                : filter with { OwnerId = caller.RequireUserId() });
    }

    public static AgendasTray Definition { get; } = new();
}

public sealed record AgendaFilter(Guid? OwnerId = null, AgendaStatus? Status = null, Guid? ContactId = null, DateTimeOffset? DueFrom = null, DateTimeOffset? DueTo = null);
