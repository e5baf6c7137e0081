using System.Linq.Expressions;
using System.Text.Json;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm;

public sealed record ContactDto(
    Guid Id, string Name, string? DocumentType, string? DocumentNumber, IReadOnlyList<string> Phones, string? Email, JsonElement Details,
    IReadOnlyList<string> Tags, bool DoNotCall, Guid? LotId, IReadOnlyList<Guid> BaseIds, int Attempts, DateTimeOffset? LastContactAt,
    Guid? LastUserId, Guid? SubcategoryId, bool Dialable, DateTimeOffset CreatedAt)
{
    // The details are parsed in .NET, after the row is read (EF evaluates the last projection's calls on the client).
    public static readonly Expression<Func<Contact, ContactDto>> Projection = c => new ContactDto(
        c.Id, c.Name, c.DocumentType, c.DocumentNumber, c.Phones, c.Email, ParseDetails(c.Details), c.Tags, c.DoNotCall, c.LotId, c.BaseIds,
        c.Attempts, c.LastContactAt, c.LastUserId, c.SubcategoryId, c.Dialable, c.CreatedAt);

    public static JsonElement ParseDetails(string details)
    {
        using var document = JsonDocument.Parse(details);
        return document.RootElement.Clone();
    }
}

public sealed record CallDto(Guid Id, Guid ContactId, DateTimeOffset At, Guid UserId, Guid? SubcategoryId, int DurationSeconds, string? Note)
{
    public static readonly Expression<Func<CallRecord, CallDto>> Projection =
        c => new CallDto(c.Id, c.ContactId, c.At, c.UserId, c.SubcategoryId, c.DurationSeconds, c.Note);
}

public sealed record BaseDto(Guid Id, string Name, long ContactCount, DateTimeOffset CreatedAt);

public sealed record LotDto(Guid Id, string Name, DateTimeOffset LoadedAt, long ContactCount);

public sealed record SubcategoryDto(Guid Id, string Name);

public sealed record CategoryDto(Guid Id, string Name, IReadOnlyList<SubcategoryDto> Subcategories);

public sealed record AgendaDto(
    Guid Id, Guid ContactId, Guid OwnerId, DateTimeOffset DueAt, string? Note, AgendaStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, Guid? ClosedBy)
{
    public static readonly Expression<Func<Agenda, AgendaDto>> Projection =
        a => new AgendaDto(a.Id, a.ContactId, a.OwnerId, a.DueAt, a.Note, a.Status, a.CreatedAt, a.ClosedAt, a.ClosedBy);
}

public sealed record ConversationDto(
    Guid Id, string ConversationId, ConversationChannel Channel, Guid? ContactId, ConversationStatus Status, Guid? SubcategoryId,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, Guid? ClosedBy)
{
    public static readonly Expression<Func<Conversation, ConversationDto>> Projection =
        c => new ConversationDto(c.Id, c.ExternalId, c.Channel, c.ContactId, c.Status, c.SubcategoryId, c.OpenedAt, c.ClosedAt, c.ClosedBy);
}

public sealed record EntityDto(Guid Id, string Name, IReadOnlyList<EntityField> Fields, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<CrmEntity, EntityDto>> Projection = e => new EntityDto(e.Id, e.Name, e.Fields, e.CreatedAt);
}

public sealed record EntityRecordDto(Guid Id, Guid EntityId, Guid? ContactId, JsonElement Values, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<EntityRecord, EntityRecordDto>> Projection =
        r => new EntityRecordDto(r.Id, r.EntityId, r.ContactId, ContactDto.ParseDetails(r.Values), r.CreatedAt);
}

public sealed record ScriptDto(Guid Id, int Position, string Name, string Text);

public sealed record SubScreenDto(Guid Id, int Position, string Name, IReadOnlyList<ScriptDto> Scripts);

public sealed record ScreenDto(Guid Id, string Name, IReadOnlyList<SubScreenDto> SubScreens)
{
    public static ScreenDto From(Screen screen) => new(
        screen.Id, screen.Name,
        screen.SubScreens.OrderBy(s => s.Position)
            .Select(s => new SubScreenDto(s.Id, s.Position, s.Name, s.Scripts.OrderBy(x => x.Position).Select(x => new ScriptDto(x.Id, x.Position, x.Name, x.Text)).ToList()))
            .ToList());
}

/// <summary>Writes of the CRM's aggregates; reads go through <see cref="Common.Persistence.IReadStore"/>.</summary>
public interface ICrmRepository
{
    void Add(Contact contact);

    void Add(CallRecord call);

    void Add(CampaignBase campaignBase);

    void Add(Lot lot);

    void Add(Category category);

    void Add(Agenda agenda);

    void Add(CrmEntity entity);

    void Add(EntityRecord record);

    void Add(Screen screen);

    Task<Contact?> GetContactAsync(Guid id, CancellationToken cancellationToken);

    Task<Agenda?> GetAgendaAsync(Guid id, CancellationToken cancellationToken);

    Task<CrmEntity?> GetEntityAsync(Guid id, CancellationToken cancellationToken);

    Task<bool> DocumentExistsAsync(string documentType, string documentNumber, CancellationToken cancellationToken);
}
