using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>A scheduled callback of a contact, owned by a user: pending until done or cancelled, never reopened.</summary>
public sealed class Agenda : AggregateRoot, ITenantOwned
{
    private Agenda()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid ContactId { get; private set; }

    public Guid OwnerId { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public string? Note { get; private set; }

    public AgendaStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When it was completed or cancelled.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    public Guid? ClosedBy { get; private set; }

    public static Agenda Schedule(Guid tenantId, Guid contactId, Guid ownerId, DateTimeOffset dueAt, string? note, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        ContactId = contactId,
        OwnerId = ownerId,
        DueAt = dueAt.ToUniversalTime(),
        Note = Guard.Optional(note, nameof(note), 2000),
        Status = AgendaStatus.Pending,
        CreatedAt = now,
    };

    public void Complete(Guid byUserId, DateTimeOffset now) => Close(AgendaStatus.Done, byUserId, now);

    public void Cancel(Guid byUserId, DateTimeOffset now) => Close(AgendaStatus.Cancelled, byUserId, now);

    /// <summary>Hands a pending agenda to another user (the reassign process does the same set-based).</summary>
    public void ReassignTo(Guid ownerId)
    {
        CheckRule(new AgendaMustBePendingRule(this));
        OwnerId = ownerId;
    }

    /// <summary>Supervisors (who may run CRM processes) see every agenda; anyone else sees the agendas they own.</summary>
    public static bool IsVisibleTo(Guid ownerId, Guid? userId, bool seesEveryAgenda) => seesEveryAgenda || ownerId == userId;

    private void Close(AgendaStatus status, Guid byUserId, DateTimeOffset now)
    {
        CheckRule(new AgendaMustBePendingRule(this));
        Status = status;
        ClosedAt = now;
        ClosedBy = byUserId;
    }
}

public enum AgendaStatus
{
    Pending,
    Done,
    Cancelled,
}

public sealed class AgendaMustBePendingRule(Agenda agenda) : IBusinessRule
{
    public string Code => "agenda_not_pending";

    public ErrorText Message => $"The agenda is already {agenda.Status.ToString().ToLowerInvariant()}; only pending agendas can change.";

    public bool IsBroken() => agenda.Status != AgendaStatus.Pending;
}
