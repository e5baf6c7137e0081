using Moonflow.Application.Processes.Execution;
using Microsoft.Extensions.Time.Testing;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Notifications;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.CancelProcess;
using Moonflow.Application.Tests.Support;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Processes;
using NSubstitute;

namespace Moonflow.Application.Tests.Processes;

public sealed class CancelProcessCommandHandlerTests
{
    private static readonly Guid RequesterId = Guid.NewGuid();

    private readonly IBulkProcessRepository _processes = Substitute.For<IBulkProcessRepository>();
    private readonly INotificationRepository _notifications = Substitute.For<INotificationRepository>();
    private readonly FakeTimeProvider _clock = new(TestProcesses.Now);
    private readonly UserContext _user = new();

    private readonly IBulkActionExecutor _executor = Substitute.For<IBulkActionExecutor>();

    private CancelProcessCommandHandler Handler()
    {
        _executor.Type.Returns(ProcessType.ClientsBulkTag);
        return new(_processes, new ProcessFinisher([_executor], _notifications, _processes, _clock, Substitute.For<Moonflow.Application.Webhooks.IWebhookPublisher>()), _user, _clock);
    }

    private BulkProcess Stored(BulkProcess process)
    {
        _processes.LockAsync(process.Id, Arg.Any<CancellationToken>()).Returns(process);
        return process;
    }

    private void SignIn(Guid userId, Role role) =>
        _user.SignInUser(TestProcesses.TenantId, userId, $"{role}@demo.test".ToLowerInvariant(), RolePermissions.For(role));

    private void SignInWith(Guid userId, params string[] permissions) =>
        _user.SignInUser(TestProcesses.TenantId, userId, "someone@demo.test", permissions);

    [Fact]
    public async Task Handle_WhenRequesterCancelsQueuedProcess_CancelsAtOnceAndNotifiesThem()
    {
        var process = Stored(TestProcesses.Queued(RequesterId));
        SignIn(RequesterId, Role.Seller);

        var dto = await Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Cancelled, dto.Status);
        Assert.True(dto.CancellationRequested);
        Assert.Equal(TestProcesses.Now, dto.FinishedAt);
        Assert.Equal(0, dto.Processed);
        _notifications.Received(1).Add(Arg.Is<Notification>(n => n.ProcessId == process.Id && n.UserId == RequesterId));
    }

    [Fact]
    public async Task Handle_WhenRequesterCancelsRunningProcess_FlagsItAndNotifiesOnlyWhenItStops()
    {
        var process = Stored(TestProcesses.Running(RequesterId));
        process.RecordProgress(3, 0, 3);
        SignIn(RequesterId, Role.Seller);

        var dto = await Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Running, dto.Status);
        Assert.True(dto.CancellationRequested);
        Assert.Null(dto.FinishedAt);
        Assert.Equal(30, dto.ProgressPercent);
        _notifications.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_WhenApiKeyCancelsTheProcessItStarted_Cancels()
    {
        var apiKeyId = Guid.NewGuid();
        var process = Stored(TestProcesses.Queued(apiKeyId));
        _user.SignInApiKey(TestProcesses.TenantId, apiKeyId, "Partner CRM", [Permissions.ProcessesRead]);

        var dto = await Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Cancelled, dto.Status);
    }

    [Fact]
    public async Task Handle_WhenAdminCancelsSomeoneElsesProcess_Cancels()
    {
        var process = Stored(TestProcesses.Queued(RequesterId));
        SignIn(Guid.NewGuid(), Role.Admin);

        var dto = await Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Cancelled, dto.Status);
        _notifications.Received(1).Add(Arg.Is<Notification>(n => n.UserId == RequesterId));
    }

    [Fact]
    public async Task Handle_WhenUserCancelsAnotherUsersProcessTheyMayOnlySee_IsForbiddenAndNothingChanges()
    {
        var process = Stored(TestProcesses.Queued(RequesterId));
        SignInWith(Guid.NewGuid(), Permissions.ProcessesRead, Permissions.ProcessesReadAll);

        await Assert.ThrowsAsync<ForbiddenException>(() => Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None));

        Assert.Equal(ProcessStatus.Queued, process.Status);
        Assert.False(process.CancellationRequested);
        _notifications.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_WhenUserCannotSeeAnotherUsersProcess_SaysNotFoundAsForAMissingOne()
    {
        var process = Stored(TestProcesses.Queued(RequesterId));
        SignIn(Guid.NewGuid(), Role.Seller);

        var missingId = Guid.NewGuid();

        var hidden = await Assert.ThrowsAsync<NotFoundException>(
            () => Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<NotFoundException>(
            () => Handler().Handle(new CancelProcessCommand(missingId), CancellationToken.None));

        Assert.Equal(
            missing.Message.Replace(missingId.ToString(), "{id}", StringComparison.Ordinal),
            hidden.Message.Replace(process.Id.ToString(), "{id}", StringComparison.Ordinal));
        Assert.Equal(ProcessStatus.Queued, process.Status);
        Assert.False(process.CancellationRequested);
    }

    [Fact]
    public async Task Handle_WhenProcessAlreadyFinished_IsRefusedAsNotActive()
    {
        var process = Stored(TestProcesses.Running(RequesterId, total: 0));
        process.Complete(TestProcesses.Now.AddMinutes(-1));
        SignIn(RequesterId, Role.Seller);

        var exception = await Assert.ThrowsAsync<BusinessRuleValidationException>(
            () => Handler().Handle(new CancelProcessCommand(process.Id), CancellationToken.None));

        Assert.Equal("process_not_active", exception.BrokenRule.Code);
        Assert.Equal(ProcessStatus.Completed, process.Status);
        _notifications.DidNotReceiveWithAnyArgs().Add(default!);
    }
}
