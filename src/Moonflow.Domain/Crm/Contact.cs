using System.Linq.Expressions;
using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>
/// A person the contact center calls. Keyed by document (type + number, unique per tenant when given) or by phone;
/// it came in one lot and is associated to any number of campaign bases. Attempts, last contact, last user and
/// subcategory (resolution) follow the calls logged on it; recycling and reprocessing reset them.
/// </summary>
public sealed class Contact : AggregateRoot, ITenantOwned
{
    public const int MaxTags = 50;
    public const int MaxTagLength = 50;
    public const int MaxPhones = 10;

    private List<string> _phones = [];
    private List<string> _tags = [];
    private List<Guid> _baseIds = [];

    private Contact()
    {
        Name = Details = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    /// <summary>CC, CE, NIT, PAS, …; given together with <see cref="DocumentNumber"/> or not at all.</summary>
    public string? DocumentType { get; private set; }

    public string? DocumentNumber { get; private set; }

    public IReadOnlyList<string> Phones => _phones;

    public string? Email { get; private set; }

    /// <summary>The tenant's own detail fields, a JSON object (jsonb): imports of issue 11 add to it.</summary>
    public string Details { get; private set; }

    public IReadOnlyList<string> Tags => _tags;

    /// <summary>Never dialled, never made dialable again by a recycle or reprocess.</summary>
    public bool DoNotCall { get; private set; }

    public Guid? LotId { get; private set; }

    /// <summary>The campaign bases the contact is associated to (a GIN-indexed array, so a base filters lists, processes and downloads alike).</summary>
    public IReadOnlyList<Guid> BaseIds => _baseIds;

    /// <summary>Calls made to the contact since it was loaded or last recycled/reprocessed.</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset? LastContactAt { get; private set; }

    public Guid? LastUserId { get; private set; }

    public Guid? SubcategoryId { get; private set; }

    /// <summary>Whether the dialler may call the contact now.</summary>
    public bool Dialable { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Contact Create(
        Guid tenantId, string name, string? documentType, string? documentNumber, IEnumerable<string>? phones, string? email, string? detailsJson,
        IEnumerable<string>? tags, bool doNotCall, Guid? lotId, DateTimeOffset now)
    {
        var type = Guard.Optional(documentType, nameof(documentType), 10)?.ToUpperInvariant();
        var number = Guard.Optional(documentNumber, nameof(documentNumber), 30);
        CheckRule(new ContactDocumentMustBeCompleteRule(type, number));
        var contact = new Contact
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Name = Guard.Required(name, nameof(name), 200),
            DocumentType = type,
            DocumentNumber = number,
            Email = Guard.Optional(email, nameof(email), 254),
            Details = string.IsNullOrWhiteSpace(detailsJson) ? "{}" : detailsJson,
            DoNotCall = doNotCall,
            Dialable = !doNotCall,
            LotId = lotId,
            CreatedAt = now,
        };
        contact._phones = NormalizePhones(phones ?? []);
        contact._tags = TagSet.Normalize(tags ?? [], MaxTags, MaxTagLength);
        return contact;
    }

    /// <summary>A call made to the contact: one more attempt, and the contact shows who called last, when, and with which resolution.</summary>
    public CallRecord LogCall(Guid userId, Guid? subcategoryId, int durationSeconds, string? note, DateTimeOffset at)
    {
        at = at.ToUniversalTime();
        var call = CallRecord.Create(TenantId, Id, userId, subcategoryId, durationSeconds, note, at);
        Attempts++;
        if (LastContactAt is null || at >= LastContactAt)
        {
            LastContactAt = at;
            LastUserId = userId;
            SubcategoryId = subcategoryId;
        }

        return call;
    }

    /// <summary>
    /// Recycle and reprocess alike: the contact goes back to be dialled (attempts to 0, resolution and last user cleared),
    /// unless it is do-not-call. A recycle also deletes its call history (so a fresh contact with history still changes);
    /// a reprocess keeps it. The database does the same, set-based, in the process's chunks.
    /// </summary>
    public RecycleOutcome MakeDialableAgain(RecycleMode mode, bool hasCallHistory)
    {
        if (DoNotCall)
        {
            return RecycleOutcome.DoNotCall;
        }

        if (IsFresh && !(mode == RecycleMode.Recycle && hasCallHistory))
        {
            return RecycleOutcome.AlreadyDialable;
        }

        Attempts = 0;
        SubcategoryId = null;
        LastUserId = null;
        Dialable = true;
        return RecycleOutcome.MadeDialable;
    }

    /// <summary>A contact already as a recycle leaves it; queries use <see cref="Fresh"/>, the same condition.</summary>
    public bool IsFresh => CompiledFresh(this);

    public static readonly Expression<Func<Contact, bool>> Fresh = c => c.Attempts == 0 && c.SubcategoryId == null && c.LastUserId == null && c.Dialable;

    private static readonly Func<Contact, bool> CompiledFresh = Fresh.Compile();

    public void AssociateTo(Guid baseId)
    {
        if (!_baseIds.Contains(baseId))
        {
            _baseIds.Add(baseId);
        }
    }

    public static List<string> NormalizePhones(IEnumerable<string> phones)
    {
        var normalized = phones.Select(p => p?.Trim() ?? string.Empty).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.Any(p => p.Length > 30))
        {
            throw new DomainValidationException("phones", "A phone must be at most 30 characters.");
        }

        return normalized.Count > MaxPhones
            ? throw new DomainValidationException("phones", $"A contact can have at most {MaxPhones} phones.")
            : normalized;
    }
}

/// <summary>What a recycle or reprocess does to one contact; the process items say the same.</summary>
public enum RecycleOutcome
{
    MadeDialable,

    /// <summary>Skipped: nothing to reset.</summary>
    AlreadyDialable,

    /// <summary>Skipped: do-not-call contacts are never made dialable.</summary>
    DoNotCall,
}

/// <summary>One call in a contact's history.</summary>
public sealed class CallRecord : ITenantOwned
{
    private CallRecord()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid ContactId { get; private set; }

    public DateTimeOffset At { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The call's result (resolution).</summary>
    public Guid? SubcategoryId { get; private set; }

    public int DurationSeconds { get; private set; }

    public string? Note { get; private set; }

    internal static CallRecord Create(Guid tenantId, Guid contactId, Guid userId, Guid? subcategoryId, int durationSeconds, string? note, DateTimeOffset at)
    {
        if (durationSeconds is < 0 or > 86_400)
        {
            throw new DomainValidationException(nameof(durationSeconds), "'durationSeconds' must be between 0 and 86400.");
        }

        return new CallRecord
        {
            Id = Guid.CreateVersion7(at),
            TenantId = tenantId,
            ContactId = contactId,
            UserId = userId,
            SubcategoryId = subcategoryId,
            DurationSeconds = durationSeconds,
            Note = Guard.Optional(note, nameof(note), 2000),
            At = at.ToUniversalTime(),
        };
    }
}

public sealed class ContactDocumentMustBeCompleteRule(string? type, string? number) : IRequestRule
{
    public string Code => "contact_document_incomplete";

    public ErrorText Message => "Give both 'documentType' and 'documentNumber', or neither.";

    public bool IsBroken() => (type is null) != (number is null);
}
