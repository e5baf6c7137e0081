using Moonflow.Domain.Crm;
using Moonflow.Domain.Tests.Support;
using static Moonflow.Domain.Tests.Crm.ContactTests;

namespace Moonflow.Domain.Tests.Crm;

public sealed class AgendaAndConversationTests
{
    private static readonly Guid Owner = Guid.NewGuid();

    private static Agenda NewAgenda() => Agenda.Schedule(TenantId, Guid.NewGuid(), Owner, Now.AddDays(1), " Llamar en la tarde ", Now);

    [Fact]
    public void Schedule_WhenValid_IsPendingForItsOwner()
    {
        var agenda = NewAgenda();

        Assert.Equal(AgendaStatus.Pending, agenda.Status);
        Assert.Equal(Owner, agenda.OwnerId);
        Assert.Equal("Llamar en la tarde", agenda.Note);
        Assert.Null(agenda.ClosedAt);
    }

    [Fact]
    public void Complete_WhenPending_IsDoneWithWhoAndWhen()
    {
        var agenda = NewAgenda();

        agenda.Complete(Owner, Now.AddHours(2));

        Assert.Equal(AgendaStatus.Done, agenda.Status);
        Assert.Equal(Now.AddHours(2), agenda.ClosedAt);
        Assert.Equal(Owner, agenda.ClosedBy);
    }

    [Fact]
    public void Cancel_WhenPending_IsCancelled()
    {
        var agenda = NewAgenda();

        agenda.Cancel(Owner, Now);

        Assert.Equal(AgendaStatus.Cancelled, agenda.Status);
    }

    [Fact]
    public void Transitions_WhenNotPending_AreRefused()
    {
        var done = NewAgenda();
        done.Complete(Owner, Now);
        var cancelled = NewAgenda();
        cancelled.Cancel(Owner, Now);

        RuleAssert.Broken("agenda_not_pending", () => done.Complete(Owner, Now));
        RuleAssert.Broken("agenda_not_pending", () => done.Cancel(Owner, Now));
        RuleAssert.Broken("agenda_not_pending", () => cancelled.Complete(Owner, Now));
        RuleAssert.Broken("agenda_not_pending", () => done.ReassignTo(Guid.NewGuid()));
    }

    [Fact]
    public void ReassignTo_WhenPending_ChangesTheOwner()
    {
        var agenda = NewAgenda();
        var other = Guid.NewGuid();

        agenda.ReassignTo(other);

        Assert.Equal(other, agenda.OwnerId);
    }

    [Fact]
    public void IsVisibleTo_WhenNotASupervisor_OnlyTheOwnerSeesIt()
    {
        Assert.True(Agenda.IsVisibleTo(Owner, Owner, seesEveryAgenda: false));
        Assert.False(Agenda.IsVisibleTo(Owner, Guid.NewGuid(), seesEveryAgenda: false));
        Assert.True(Agenda.IsVisibleTo(Owner, Guid.NewGuid(), seesEveryAgenda: true));
    }

    [Fact]
    public void Close_WhenOpen_IsClosedWithTheResolution_AndOnlyOnce()
    {
        var conversation = Conversation.Open(TenantId, " wa-123 ", ConversationChannel.Whatsapp, null, Now);
        var subcategory = Guid.NewGuid();

        conversation.Close(subcategory, Owner, Now.AddMinutes(5));

        Assert.Equal("wa-123", conversation.ExternalId);
        Assert.Equal(ConversationStatus.Closed, conversation.Status);
        Assert.Equal(subcategory, conversation.SubcategoryId);
        RuleAssert.Broken("conversation_closed", () => conversation.Close(subcategory, Owner, Now));
    }

    [Fact]
    public void NewRecord_WhenValuesAreTyped_StoresThemByTheirFieldsTypes()
    {
        var entity = CrmEntity.Define(TenantId, "Deudas", [
            new EntityField("producto", "Producto", EntityFieldType.List, true, ["Tarjeta", "Crédito"]),
            new EntityField("saldo", "Saldo", EntityFieldType.Number),
            new EntityField("vence", "Vence", EntityFieldType.Date),
            new EntityField("castigada", "Castigada", EntityFieldType.Boolean),
            new EntityField("nota", "Nota", EntityFieldType.Text),
        ], Now);

        var record = entity.NewRecord(null, new Dictionary<string, string?> { ["producto"] = "tarjeta", ["saldo"] = "1500.50", ["vence"] = "2026-12-01", ["castigada"] = "sí" }, Now);

        Assert.Equal("""{"producto":"Tarjeta","saldo":1500.50,"vence":"2026-12-01","castigada":true,"nota":null}""", record.Values);
        RuleAssert.Invalid("values", () => entity.NewRecord(null, new Dictionary<string, string?> { ["producto"] = "Leasing" }, Now));
        RuleAssert.Invalid("values", () => entity.NewRecord(null, new Dictionary<string, string?> { ["producto"] = "Tarjeta", ["saldo"] = "mil" }, Now));
        RuleAssert.Invalid("values", () => entity.NewRecord(null, new Dictionary<string, string?> { ["saldo"] = "1" }, Now));
        RuleAssert.Invalid("values", () => entity.NewRecord(null, new Dictionary<string, string?> { ["producto"] = "Tarjeta", ["otro"] = "1" }, Now));
    }

    [Fact]
    public void Define_WhenAListFieldHasNoOptionsOrAKeyRepeats_IsInvalid()
    {
        RuleAssert.Invalid("fields", () => CrmEntity.Define(TenantId, "X", [new EntityField("a", "A", EntityFieldType.List)], Now));
        RuleAssert.Invalid("fields", () => CrmEntity.Define(TenantId, "X", [new EntityField("a", "A", EntityFieldType.Text), new EntityField("A", "B", EntityFieldType.Text)], Now));
    }

    [Fact]
    public void Screen_WhenBuilt_KeepsSubScreensAndScriptsInOrder()
    {
        var screen = Screen.Create(TenantId, "Cobranza", Now);
        screen.AddSubScreen("Saludo", [("Apertura", "Buenos días {lblEtiqueta1}"), ("Cierre", "Gracias")], Now);
        screen.AddSubScreen("Oferta", [("Oferta", "Su saldo es {lblEtiqueta10}")], Now);

        Assert.Equal(["Saludo", "Oferta"], screen.SubScreens.Select(s => s.Name));
        Assert.Equal([1, 2], screen.SubScreens[0].Scripts.Select(s => s.Position));
        Assert.Contains("lblEtiqueta10", screen.SubScreens[1].Scripts[0].Text);
    }
}
