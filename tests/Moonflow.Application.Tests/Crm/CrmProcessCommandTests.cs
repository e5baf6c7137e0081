using Microsoft.Extensions.Time.Testing;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm;
using Moonflow.Application.Crm.Agendas;
using Moonflow.Application.Crm.Agendas.ReassignAgendas;
using Moonflow.Application.Crm.Bases.DissociateContacts;
using Moonflow.Application.Crm.Contacts.RecycleContacts;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Tests.Support;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;
using NSubstitute;

namespace Moonflow.Application.Tests.Crm;

/// <summary>The CRM processes' commands before any SQL: what they refuse, and that a refused one starts nothing.</summary>
public sealed class CrmProcessCommandTests
{
    private static readonly Guid BaseId = Guid.NewGuid();

    private readonly IBulkProcessRepository _processes = Substitute.For<IBulkProcessRepository>();
    private readonly IProcessTargetStore _targets = Substitute.For<IProcessTargetStore>();
    private readonly IProcessDispatcher _dispatcher = Substitute.For<IProcessDispatcher>();
    private readonly IUnitOfWork _unitOfWork = Substitute.For<IUnitOfWork>();
    private readonly IReadStore _store = Substitute.For<IReadStore>();
    private readonly ICrmBulkActions _crm = Substitute.For<ICrmBulkActions>();
    private readonly UserContext _user = new();

    public CrmProcessCommandTests() =>
        _user.SignInUser(TestProcesses.TenantId, Guid.NewGuid(), "seller@demo.test", RolePermissions.For(Role.Seller));

    private BulkProcessStarter Starter() => new(_processes, _targets, _dispatcher, _unitOfWork, _user, new FakeTimeProvider(TestProcesses.Now));

    private void AssertNothingStarted()
    {
        _processes.DidNotReceive().Add(Arg.Any<BulkProcess>());
        _unitOfWork.DidNotReceive().AfterCommit(Arg.Any<Func<Task>>());
    }

    [Fact]
    public async Task Dissociate_WhenNeitherLotNorSubcategories_IsRefusedBeforeAnyLookUpAndStartsNothing()
    {
        var handler = new DissociateContactsCommandHandler(Starter(), _store, new CrmReferences(_store), _crm);

        var refused = await Assert.ThrowsAsync<BusinessRuleValidationException>(
            () => handler.Handle(new DissociateContactsCommand(BaseId, null, []), CancellationToken.None));

        Assert.Contains("lot", refused.Message, StringComparison.OrdinalIgnoreCase);
        _store.DidNotReceive().Query<CampaignBase>();
        AssertNothingStarted();
    }

    [Fact]
    public async Task Reassign_WhenAUserIsOnBothSides_IsRefusedAndFreezesNoAgenda()
    {
        var both = Guid.NewGuid();
        var handler = new ReassignAgendasCommandHandler(Starter(), _crm, new CrmReferences(_store), _store, _user);

        await Assert.ThrowsAsync<BusinessRuleValidationException>(
            () => handler.Handle(new ReassignAgendasCommand([both, Guid.NewGuid()], [both]), CancellationToken.None));

        await _crm.DidNotReceive().FreezePendingAgendasAsync(Arg.Any<Guid>(), Arg.Any<Guid>(), Arg.Any<IReadOnlyList<Guid>>(), Arg.Any<CancellationToken>());
        AssertNothingStarted();
    }

    [Theory]
    [InlineData(-1, null, "attemptsLessThan")]
    [InlineData(null, -1, "attemptsGreaterThan")]
    public void RecycleValidator_WhenAnAttemptBoundIsNegative_NamesIt(int? lessThan, int? greaterThan, string field)
    {
        var result = new RecycleCriteriaValidator().Validate(new RecycleCriteria(BaseId, AttemptsLessThan: lessThan, AttemptsGreaterThan: greaterThan));

        Assert.Equal(field, Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void RecycleValidator_WhenNoBaseOrTooManyUsers_NamesEach()
    {
        var users = Enumerable.Range(0, 501).Select(_ => Guid.NewGuid()).ToList();

        var result = new RecycleCriteriaValidator().Validate(new RecycleCriteria(Guid.Empty, UserIds: users));

        Assert.Equal(["baseId", "userIds"], result.Errors.Select(e => e.PropertyName).Order());
    }

    [Fact]
    public void ReassignValidator_WhenASideIsMissing_NamesIt()
    {
        var result = new ReassignAgendasCommandValidator().Validate(new ReassignAgendasCommand([Guid.NewGuid()], null!));

        Assert.Equal("ToUserIds", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void AgendasTray_WhenAnAgentDownloadsWithoutAnOwner_KeepsOnlyTheirRows()
    {
        var agentId = Guid.NewGuid();
        var agent = new UserContext();
        agent.SignInUser(TestProcesses.TenantId, agentId, "agent@demo.test", RolePermissions.For(Role.Agent));

        var filters = (AgendaFilter)AgendasTray.Definition.RowsVisibleTo(agent, new AgendaFilter(Status: AgendaStatus.Pending));

        Assert.Equal(new AgendaFilter(OwnerId: agentId, Status: AgendaStatus.Pending), filters);
    }

    [Fact]
    public void AgendasTray_WhenAnAgentAsksForSomeoneElsesAgendas_IsForbidden()
    {
        var agent = new UserContext();
        agent.SignInUser(TestProcesses.TenantId, Guid.NewGuid(), "agent@demo.test", RolePermissions.For(Role.Agent));

        Assert.Throws<ForbiddenException>(() => AgendasTray.Definition.RowsVisibleTo(agent, new AgendaFilter(OwnerId: Guid.NewGuid())));
    }

    [Fact]
    public void AgendasTray_WhenASupervisorDownloads_KeepsTheFiltersAsGiven()
    {
        var asked = new AgendaFilter(OwnerId: Guid.NewGuid());

        Assert.Same(asked, AgendasTray.Definition.RowsVisibleTo(_user, asked));
    }
}
