using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Notifications;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.RunProcess;
using Moonflow.Application.Tests.Support;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace Moonflow.Application.Tests.Processes;

public sealed class RunProcessCommandHandlerTests
{
    private const int ChunkSize = 2;
    private static readonly TimeSpan FileLifetime = TimeSpan.FromDays(3);

    private readonly IBulkProcessRepository _processes = Substitute.For<IBulkProcessRepository>();
    private readonly IBulkActionExecutor _executor = Substitute.For<IBulkActionExecutor>();
    private readonly IProcessErrorReportWriter _errorReports = Substitute.For<IProcessErrorReportWriter>();
    private readonly INotificationRepository _notifications = Substitute.For<INotificationRepository>();
    private readonly PassThroughUnitOfWork _unitOfWork = new();
    private readonly IProcessRunnerLeases _leases = Substitute.For<IProcessRunnerLeases>();
    private readonly FakeTimeProvider _clock = new(TestProcesses.Now);
    private readonly List<Notification> _added = [];

    public RunProcessCommandHandlerTests()
    {
        _executor.Type.Returns(ProcessType.ClientsBulkTag);
        _executor.ChunkSize(Arg.Any<ProcessOptions>()).Returns(ci => ci.Arg<ProcessOptions>().ChunkSize);
        _leases.AcquireAsync(Arg.Any<Guid>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(Substitute.For<IProcessRunnerLease>());
        _notifications.When(n => n.Add(Arg.Any<Notification>())).Do(ci => _added.Add(ci.Arg<Notification>()));
    }

    private RunProcessCommandHandler Handler()
    {
        var otherExecutor = Substitute.For<IBulkActionExecutor>();
        otherExecutor.Type.Returns(ProcessType.ClientsBulkDelete);
        var options = Options.Create(new ProcessOptions { ChunkSize = ChunkSize, FileLifetime = FileLifetime });
        var finisher = new ProcessFinisher([otherExecutor, _executor], _notifications, _processes, _clock, Substitute.For<Moonflow.Application.Webhooks.IWebhookPublisher>());
        var longSteps = new LongStepRunner(
            _processes, _unitOfWork, finisher, Substitute.For<IFileStorage>(), Substitute.For<IServiceScopeFactory>(), options, _clock,
            NullLogger<LongStepRunner>.Instance);
        return new RunProcessCommandHandler(
            _processes, [otherExecutor, _executor], _errorReports, finisher, _unitOfWork, _leases, longSteps, options, _clock,
            NullLogger<RunProcessCommandHandler>.Instance);
    }

    private BulkProcess Stored(BulkProcess process)
    {
        _processes.LockAsync(process.Id, Arg.Any<CancellationToken>()).Returns(process);
        return process;
    }

    /// <summary>The executor answers with these chunks in turn, then with an empty one; it records the checkpoint each call started from.</summary>
    private List<long> ExecutorReturns(params ChunkOutcome[] chunks)
    {
        var startedFrom = new List<long>();
        var queue = new Queue<ChunkOutcome>(chunks);
        _executor.ExecuteChunkAsync(Arg.Any<BulkProcess>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(ci =>
        {
            startedFrom.Add(ci.Arg<BulkProcess>().Checkpoint);
            _clock.Advance(TimeSpan.FromSeconds(1));
            return queue.Count > 0 ? queue.Dequeue() : ChunkOutcome.Nothing;
        });
        return startedFrom;
    }

    [Fact]
    public async Task Handle_WhenEveryChunkSucceeds_CompletesNotifiesOnceAndDropsTheTargets()
    {
        var process = Stored(TestProcesses.Queued(Guid.NewGuid(), total: 5));
        var startedFrom = ExecutorReturns(new(2, 0, 2), new(2, 0, 4), new(1, 0, 5));

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Completed, status);
        Assert.Equal(ProcessStatus.Completed, process.Status);
        Assert.Equal(TestProcesses.Now, process.StartedAt);
        Assert.Equal(TestProcesses.Now.AddSeconds(4), process.FinishedAt);
        Assert.Equal(5, process.Succeeded);
        Assert.Equal(0, process.Failed);
        Assert.Equal(new long[] { 0, 2, 4, 5 }, startedFrom);
        await _executor.Received(4).ExecuteChunkAsync(process, ChunkSize, Arg.Any<CancellationToken>());
        Assert.Equal(4, _unitOfWork.Transactions);
        var notification = Assert.Single(_added);
        Assert.Equal(process.Id, notification.ProcessId);
        Assert.Equal(process.RequestedBy, notification.UserId);
        Assert.Contains("5 of 5 records done", notification.Message, StringComparison.Ordinal);
        await _processes.Received(1).DeleteTargetsAsync(process.Id, Arg.Any<CancellationToken>());
        await _errorReports.DidNotReceiveWithAnyArgs().WriteAsync(default!, default);
        Assert.Empty(process.Files);
    }

    [Fact]
    public async Task Handle_WhenSomeRecordsFail_CompletesWithErrorsAndAttachesTheErrorReport()
    {
        var process = Stored(TestProcesses.Queued(Guid.NewGuid(), total: 5));
        ExecutorReturns(new(1, 1, 2), new(2, 1, 5));
        _errorReports.WriteAsync(process, Arg.Any<CancellationToken>()).Returns(new StoredFile("processes/2026/11/errors.xlsx", 4096));

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.CompletedWithErrors, status);
        Assert.Equal(3, process.Succeeded);
        Assert.Equal(2, process.Failed);
        var file = Assert.Single(process.Files);
        Assert.Equal(ProcessFileKind.ErrorReport, file.Kind);
        Assert.Equal("processes/2026/11/errors.xlsx", file.StorageKey);
        Assert.Equal(4096, file.SizeBytes);
        Assert.Equal(ContentTypes.Xlsx, file.ContentType);
        Assert.EndsWith(".xlsx", file.FileName, StringComparison.Ordinal);
        Assert.Equal(file.CreatedAt + FileLifetime, file.ExpiresAt);
        await _errorReports.Received(1).WriteAsync(process, Arg.Any<CancellationToken>());
        Assert.Contains("3 done, 2 failed", Assert.Single(_added).Message, StringComparison.Ordinal);
        await _processes.Received(1).DeleteTargetsAsync(process.Id, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_WhenThereAreNoRecords_CompletesAfterOneEmptyChunk()
    {
        var process = Stored(TestProcesses.Queued(Guid.NewGuid(), total: 0));
        ExecutorReturns();

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Completed, status);
        Assert.Equal(100, process.ProgressPercent);
        await _executor.Received(1).ExecuteChunkAsync(process, ChunkSize, Arg.Any<CancellationToken>());
        Assert.Single(_added);
    }

    [Fact]
    public async Task Handle_WhenCancellationWasRequested_StopsWithoutDoingMoreWork()
    {
        var process = Running(total: 10);
        process.RecordProgress(4, 0, 4);
        process.RequestCancellation(TestProcesses.Now.AddMinutes(-1));
        Stored(process);
        ExecutorReturns(new ChunkOutcome(2, 0, 6));

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Cancelled, status);
        Assert.Equal(4, process.Processed);
        Assert.Equal(TestProcesses.Now, process.FinishedAt);
        await _executor.DidNotReceiveWithAnyArgs().ExecuteChunkAsync(default!, default, default);
        Assert.Contains("cancelled after 4 of 10 records", Assert.Single(_added).Message, StringComparison.Ordinal);
        await _processes.Received(1).DeleteTargetsAsync(process.Id, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_WhenCancelledBetweenChunks_StopsAtTheNextCheckpointKeepingCommittedWork()
    {
        var process = Stored(TestProcesses.Queued(Guid.NewGuid(), total: 10));
        _executor.ExecuteChunkAsync(Arg.Any<BulkProcess>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            // The user cancels while the first chunk is being worked on; the next transaction sees it.
            process.RequestCancellation(TestProcesses.Now);
            return new ChunkOutcome(2, 0, 2);
        });

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Cancelled, status);
        Assert.Equal(2, process.Processed);
        await _executor.Received(1).ExecuteChunkAsync(process, ChunkSize, Arg.Any<CancellationToken>());
        Assert.Single(_added);
    }

    public static TheoryData<ProcessStatus> FinishedStatuses() =>
        [ProcessStatus.Completed, ProcessStatus.CompletedWithErrors, ProcessStatus.Failed, ProcessStatus.Cancelled];

    [Theory]
    [MemberData(nameof(FinishedStatuses))]
    public async Task Handle_WhenProcessAlreadyFinished_ReturnsItsStatusAndDoesNothing(ProcessStatus finished)
    {
        var process = Stored(Finished(finished));

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(finished, status);
        await _executor.DidNotReceiveWithAnyArgs().ExecuteChunkAsync(default!, default, default);
        Assert.Empty(_added);
        await _processes.DidNotReceiveWithAnyArgs().DeleteTargetsAsync(default, default);
    }

    [Fact]
    public async Task Handle_WhenAnotherRunnerHoldsTheLease_LeavesTheProcessAlone()
    {
        var process = Stored(TestProcesses.Queued(Guid.NewGuid(), total: 5));
        ExecutorReturns(new ChunkOutcome(2, 0, 2));
        _leases.AcquireAsync(process.Id, Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns((IProcessRunnerLease?)null);

        var status = await Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None);

        Assert.Equal(ProcessStatus.Running, status);
        Assert.Equal(ProcessStatus.Queued, process.Status);
        Assert.Equal(0, _unitOfWork.Transactions);
        await _executor.DidNotReceiveWithAnyArgs().ExecuteChunkAsync(default!, default, default);
    }

    [Fact]
    public async Task Handle_WhenTheLeaseIsLostMidRun_StopsBeforeTheNextChunk()
    {
        var process = Stored(TestProcesses.Queued(Guid.NewGuid(), total: 10));
        using var lost = new CancellationTokenSource();
        var lease = Substitute.For<IProcessRunnerLease>();
        lease.Lost.Returns(lost.Token);
        _leases.AcquireAsync(process.Id, Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(lease);
        _executor.ExecuteChunkAsync(Arg.Any<BulkProcess>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            lost.Cancel();
            return new ChunkOutcome(2, 0, 2);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Handler().Handle(new RunProcessCommand(process.Id), CancellationToken.None));

        await _executor.Received(1).ExecuteChunkAsync(process, ChunkSize, Arg.Any<CancellationToken>());
        await lease.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Handle_WhenProcessDoesNotExist_ThrowsNotFound()
    {
        var missing = Guid.NewGuid();

        await Assert.ThrowsAsync<NotFoundException>(() => Handler().Handle(new RunProcessCommand(missing), CancellationToken.None));

        await _executor.DidNotReceiveWithAnyArgs().ExecuteChunkAsync(default!, default, default);
    }

    private static BulkProcess Running(long total) => TestProcesses.Running(Guid.NewGuid(), total);

    private static BulkProcess Finished(ProcessStatus status)
    {
        var process = Running(total: 2);
        switch (status)
        {
            case ProcessStatus.Completed:
                process.RecordProgress(2, 0, 2);
                process.Complete(TestProcesses.Now);
                break;
            case ProcessStatus.CompletedWithErrors:
                process.RecordProgress(1, 1, 2);
                process.Complete(TestProcesses.Now);
                break;
            case ProcessStatus.Failed:
                process.Fail("Gave up.", TestProcesses.Now);
                break;
            case ProcessStatus.Cancelled:
                process.RequestCancellation(TestProcesses.Now);
                process.StopAtCheckpoint(TestProcesses.Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        Assert.Equal(status, process.Status);
        return process;
    }
}

/// <summary>Runs each unit of work at once, counting them; the handler under test decides what one transaction holds.</summary>
internal sealed class PassThroughUnitOfWork : IUnitOfWork
{
    public int Transactions { get; private set; }

    public Task SaveChangesAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Transactions++;
        return await work();
    }

    public void AfterCommit(Func<Task> action)
    {
    }
}
