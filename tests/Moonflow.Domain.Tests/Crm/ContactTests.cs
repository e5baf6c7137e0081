using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Crm;

public sealed class ContactTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    internal static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-000000000001");

    internal static Contact NewContact(bool doNotCall = false, string? documentNumber = "1020304050") =>
        Contact.Create(TenantId, " Ana Gómez ", documentNumber is null ? null : "cc", documentNumber, [" +57 3001112233 ", "+57 3001112233", ""], null, null, ["VIP"], doNotCall, null, Now);

    [Fact]
    public void Create_WhenValid_NormalizesAndStartsDialableWithNoAttempts()
    {
        var contact = NewContact();

        Assert.Equal("Ana Gómez", contact.Name);
        Assert.Equal("CC", contact.DocumentType);
        Assert.Equal(["+57 3001112233"], contact.Phones);
        Assert.Equal(["vip"], contact.Tags);
        Assert.Equal("{}", contact.Details);
        Assert.Equal(0, contact.Attempts);
        Assert.True(contact.Dialable);
        Assert.True(contact.IsFresh);
    }

    [Fact]
    public void Create_WhenDoNotCall_IsNotDialable() => Assert.False(NewContact(doNotCall: true).Dialable);

    [Fact]
    public void Create_WhenOnlyHalfTheDocumentIsGiven_IsRefused() =>
        RuleAssert.Broken("contact_document_incomplete", () => Contact.Create(TenantId, "Ana", "CC", null, ["300"], null, null, null, false, null, Now));

    [Fact]
    public void Create_WhenNoDocument_IsKeyedByPhoneOnly()
    {
        var contact = NewContact(documentNumber: null);

        Assert.Null(contact.DocumentType);
        Assert.Null(contact.DocumentNumber);
    }

    [Fact]
    public void LogCall_WhenCalled_CountsTheAttemptAndShowsWhoWhenAndTheResolution()
    {
        var contact = NewContact();
        var user = Guid.NewGuid();
        var subcategory = Guid.NewGuid();

        var call = contact.LogCall(user, subcategory, 95, " Promete pagar el viernes ", Now.AddHours(1));
        contact.LogCall(Guid.NewGuid(), null, 10, null, Now.AddMinutes(30)); // an older call logged late does not take over

        Assert.Equal(2, contact.Attempts);
        Assert.Equal(Now.AddHours(1), contact.LastContactAt);
        Assert.Equal(user, contact.LastUserId);
        Assert.Equal(subcategory, contact.SubcategoryId);
        Assert.Equal(contact.Id, call.ContactId);
        Assert.Equal("Promete pagar el viernes", call.Note);
        Assert.Equal(95, call.DurationSeconds);
    }

    [Fact]
    public void LogCall_WhenDurationIsNegative_IsInvalid() =>
        RuleAssert.Invalid("durationSeconds", () => NewContact().LogCall(Guid.NewGuid(), null, -1, null, Now));

    [Fact]
    public void MakeDialableAgain_WhenCalled_ResetsAttemptsResolutionAndLastUserButKeepsLastContact()
    {
        var contact = NewContact();
        contact.LogCall(Guid.NewGuid(), Guid.NewGuid(), 30, null, Now);

        var outcome = contact.MakeDialableAgain(RecycleMode.Reprocess, hasCallHistory: true);

        Assert.Equal(RecycleOutcome.MadeDialable, outcome);
        Assert.Equal(0, contact.Attempts);
        Assert.Null(contact.SubcategoryId);
        Assert.Null(contact.LastUserId);
        Assert.Equal(Now, contact.LastContactAt);
        Assert.True(contact.Dialable);
    }

    [Fact]
    public void MakeDialableAgain_WhenDoNotCall_LeavesTheContactAsItIs()
    {
        var contact = NewContact(doNotCall: true);
        contact.LogCall(Guid.NewGuid(), Guid.NewGuid(), 30, null, Now);

        var outcome = contact.MakeDialableAgain(RecycleMode.Reprocess, hasCallHistory: true);

        Assert.Equal(RecycleOutcome.DoNotCall, outcome);
        Assert.Equal(1, contact.Attempts);
        Assert.False(contact.Dialable);
    }

    [Fact]
    public void MakeDialableAgain_WhenAlreadyFreshWithoutHistory_ChangesNothing()
    {
        Assert.Equal(RecycleOutcome.AlreadyDialable, NewContact().MakeDialableAgain(RecycleMode.Recycle, hasCallHistory: false));
        Assert.Equal(RecycleOutcome.AlreadyDialable, NewContact().MakeDialableAgain(RecycleMode.Reprocess, hasCallHistory: false));
    }

    [Fact]
    public void MakeDialableAgain_WhenFreshButWithHistory_RecycleChangesItAndReprocessDoesNot()
    {
        // A reprocessed contact keeps its history: recycling it later still has that history to delete.
        Assert.Equal(RecycleOutcome.MadeDialable, NewContact().MakeDialableAgain(RecycleMode.Recycle, hasCallHistory: true));
        Assert.Equal(RecycleOutcome.AlreadyDialable, NewContact().MakeDialableAgain(RecycleMode.Reprocess, hasCallHistory: true));
    }

    [Fact]
    public void Create_WhenTooManyPhones_IsInvalid() =>
        RuleAssert.Invalid("phones", () => Contact.Create(TenantId, "Ana", null, null, Enumerable.Range(0, 11).Select(i => $"300{i}"), null, null, null, false, null, Now));
}
