using Moonflow.Domain.Processes;
using Moonflow.Domain.Tests.Support;
using static Moonflow.Domain.Tests.Support.TestProcesses;

namespace Moonflow.Domain.Tests.Processes;

public sealed class BulkProcessTests
{
    private static readonly DateTimeOffset Later = QueuedAt.AddMinutes(10);

    // Queue

    [Fact]
    public void Queue_WhenAccepted_IsQueuedWithNoProgressAndKeepsWhoAskedForWhat()
    {
        var process = BulkProcess.Queue(
            TenantId, ProcessType.ClientsBulkDelete, "  Delete clients  ", """{"clientIds":[]}""", RequesterId, "seller@demo.test", QueuedAt);

        Assert.NotEqual(Guid.Empty, process.Id);
        Assert.Equal(TenantId, process.TenantId);
        Assert.Equal(ProcessType.ClientsBulkDelete, process.Type);
        Assert.Equal("Delete clients", process.Label);
        Assert.Equal("""{"clientIds":[]}""", process.Parameters);
        Assert.Equal(RequesterId, process.RequestedBy);
        Assert.Equal("seller@demo.test", process.RequestedByName);
        Assert.Equal(ProcessStatus.Queued, process.Status);
        Assert.Equal(QueuedAt, process.QueuedAt);
        Assert.Null(process.StartedAt);
        Assert.Null(process.FinishedAt);
        Assert.Null(process.JobId);
        Assert.False(process.IsFinished);
        Assert.False(process.TargetsFrozen);
        Assert.False(process.CancellationRequested);
        Assert.Equal(0, process.Total);
        Assert.Equal(0, process.Processed);
        Assert.Equal(0, process.Checkpoint);
        Assert.Equal(0, process.ProgressPercent);
        Assert.Empty(process.Files);
    }

    [Fact]
    public void Queue_WhenQueuedLater_GetsADistinctIdThatSortsAfterTheEarlierOne()
    {
        var earlier = BulkProcess.Queue(TenantId, ProcessType.ClientsBulkTag, "first", "{}", RequesterId, "seller@demo.test", QueuedAt);
        var later = BulkProcess.Queue(TenantId, ProcessType.ClientsBulkTag, "second", "{}", RequesterId, "seller@demo.test", QueuedAt.AddMilliseconds(5));

        // The process log pages newest first by id, so ids must follow the queue time.
        Assert.True(later.Id.CompareTo(earlier.Id) > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Queue_WhenLabelBlank_IsRejected(string label) =>
        RuleAssert.Invalid("label", () => BulkProcess.Queue(TenantId, ProcessType.ClientsBulkTag, label, "{}", RequesterId, "seller@demo.test", QueuedAt));

    [Fact]
    public void Queue_WhenRequesterNameBlank_IsRejected() =>
        RuleAssert.Invalid("requestedByName", () => BulkProcess.Queue(TenantId, ProcessType.ClientsBulkTag, "Tag", "{}", RequesterId, " ", QueuedAt));

    // FreezeTargets

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    public void FreezeTargets_WhenQueued_FixesTheTotal(long total)
    {
        var process = Queued();

        process.FreezeTargets(total);

        Assert.True(process.TargetsFrozen);
        Assert.Equal(total, process.Total);
        Assert.Equal(ProcessStatus.Queued, process.Status);
    }

    [Fact]
    public void FreezeTargets_WhenAlreadyFrozen_IsRefusedAndKeepsTheFirstTotal()
    {
        var process = Frozen(500);

        RuleAssert.Broken("process_targets_frozen", () => process.FreezeTargets(900));
        Assert.Equal(500, process.Total);
    }

    [Fact]
    public void FreezeTargets_WhenRunning_IsRefused()
    {
        var process = Queued();
        process.Start(QueuedAt);

        RuleAssert.Broken("process_targets_frozen", () => process.FreezeTargets(10));
        Assert.False(process.TargetsFrozen);
    }

    [Fact]
    public void FreezeTargets_WhenCancelledBeforeFreezing_IsRefused()
    {
        var process = Queued();
        process.RequestCancellation(QueuedAt);

        RuleAssert.Broken("process_targets_frozen", () => process.FreezeTargets(10));
    }

    [Fact]
    public void FreezeTargets_WhenTotalNegative_IsRejectedAndLeavesTargetsOpen()
    {
        var process = Queued();

        RuleAssert.Invalid("total", () => process.FreezeTargets(-1));
        Assert.False(process.TargetsFrozen);

        process.FreezeTargets(3);
        Assert.Equal(3, process.Total);
    }

    // MarkDispatched

    [Fact]
    public void MarkDispatched_WhenJobIdGiven_RecordsIt()
    {
        var process = Frozen(10);

        process.MarkDispatched("hangfire-42");

        Assert.Equal("hangfire-42", process.JobId);
    }

    [Fact]
    public void MarkDispatched_WhenJobIdBlank_IsRejected() =>
        RuleAssert.Invalid("jobId", () => Frozen(10).MarkDispatched(" "));

    // Start

    [Fact]
    public void Start_WhenQueued_RunsAndRecordsWhenItStarted()
    {
        var process = Frozen(10);

        process.Start(Later);

        Assert.Equal(ProcessStatus.Running, process.Status);
        Assert.Equal(Later, process.StartedAt);
        Assert.Null(process.FinishedAt);
    }

    [Fact]
    public void Start_WhenAlreadyRunning_ResumesAndKeepsTheFirstStart()
    {
        var process = Frozen(10);
        process.Start(QueuedAt.AddSeconds(1));
        process.RecordProgress(4, 0, 4);

        process.Start(Later);

        Assert.Equal(ProcessStatus.Running, process.Status);
        Assert.Equal(QueuedAt.AddSeconds(1), process.StartedAt);
        Assert.Equal(4, process.Processed);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void Start_WhenFinished_IsRefusedAsNotActive(string state)
    {
        var process = Finished(state);
        var status = process.Status;

        RuleAssert.Broken("process_not_active", () => process.Start(Later));
        Assert.Equal(status, process.Status);
    }

    // RecordProgress

    [Fact]
    public void RecordProgress_WhenChunksCommit_AddsThemUpAndMovesTheCheckpoint()
    {
        var process = Running(10);

        process.RecordProgress(3, 1, 4);
        process.RecordProgress(5, 1, 10);

        Assert.Equal(8, process.Succeeded);
        Assert.Equal(2, process.Failed);
        Assert.Equal(10, process.Processed);
        Assert.Equal(process.Succeeded + process.Failed, process.Processed);
        Assert.Equal(10, process.Checkpoint);
        Assert.Equal(100, process.ProgressPercent);
        Assert.Equal(ProcessStatus.Running, process.Status);
    }

    [Fact]
    public void RecordProgress_WhenCountWouldExceedTotal_IsRefusedAndCountsStay()
    {
        var process = Running(10);
        process.RecordProgress(8, 0, 8);

        RuleAssert.Broken("process_count_overflow", () => process.RecordProgress(2, 1, 11));
        Assert.Equal(8, process.Processed);
        Assert.Equal(8, process.Checkpoint);
    }

    [Fact]
    public void RecordProgress_WhenChunkCountIsNegative_IsRefusedAsOverflow()
    {
        var process = Running(10);
        process.RecordProgress(5, 0, 5);

        RuleAssert.Broken("process_count_overflow", () => process.RecordProgress(-3, 0, 6));
        Assert.Equal(5, process.Succeeded);
    }

    [Fact]
    public void RecordProgress_WhenOneOutcomeIsNegative_IsRejectedAndCountsStay()
    {
        var process = Running(10);

        Assert.Throws<Common.DomainValidationException>(() => process.RecordProgress(-1, 3, 2));
        Assert.Equal(0, process.Succeeded);
        Assert.Equal(0, process.Failed);
    }

    [Fact]
    public void RecordProgress_WhenQueued_IsRefusedAsNotRunning()
    {
        var process = Frozen(10);

        RuleAssert.Broken("process_not_running", () => process.RecordProgress(1, 0, 1));
        Assert.Equal(0, process.Processed);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void RecordProgress_WhenFinished_IsRefusedAsNotRunning(string state)
    {
        var process = Finished(state);

        RuleAssert.Broken("process_not_running", () => process.RecordProgress(0, 0, process.Checkpoint));
    }

    [Fact]
    public void RecordProgress_WhenCheckpointMovesBack_IsRejectedAndNothingIsCountedTwice()
    {
        var process = Running(10);
        process.RecordProgress(5, 0, 5);

        RuleAssert.Invalid("lastSeq", () => process.RecordProgress(2, 0, 3));
        Assert.Equal(5, process.Processed);
        Assert.Equal(5, process.Checkpoint);
    }

    // Long steps

    [Fact]
    public void ReportStepProgress_WhenTheStepGoesOn_ShowsTheCountsAndKeepsTheEstimateAsTotal()
    {
        var process = Running(1000);

        process.ReportStepProgress(250, 0, null, null);
        process.ReportStepProgress(600, 2, null, null);

        Assert.Equal(600, process.Succeeded);
        Assert.Equal(2, process.Failed);
        Assert.Equal(602, process.Processed);
        Assert.Equal(1000, process.Total);
        Assert.Equal(60, process.ProgressPercent);
        Assert.Equal(ProcessStatus.Running, process.Status);
    }

    [Fact]
    public void ReportStepProgress_WhenMoreRecordsThanEstimated_TheTotalFollows()
    {
        var process = Running(100);

        process.ReportStepProgress(150, 0, null, null);

        Assert.Equal(150, process.Total);
        Assert.Equal(100, process.ProgressPercent);
    }

    [Fact]
    public void ReportStepProgress_WhenTheStepKnowsTheTotal_ReplacesTheEstimate()
    {
        var process = Running(0);

        process.ReportStepProgress(10, 0, 40, """{"dataset":"clients"}""");

        Assert.Equal(40, process.Total);
        Assert.Equal(25, process.ProgressPercent);
        Assert.Equal("""{"dataset":"clients"}""", process.StepCheckpoint);
    }

    [Fact]
    public void ReportStepProgress_WhenCountsGoBack_IsRefusedAndCountsStay()
    {
        var process = Running(100);
        process.ReportStepProgress(50, 1, null, null);

        RuleAssert.Broken("process_progress_backwards", () => process.ReportStepProgress(40, 1, null, null));
        Assert.Equal(51, process.Processed);
    }

    [Fact]
    public void ReportStepProgress_WhenNegative_IsRejected()
    {
        var process = Running(100);

        RuleAssert.Invalid("succeeded", () => process.ReportStepProgress(-1, 0, null, null));
        Assert.Equal(0, process.Processed);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void ReportStepProgress_WhenFinished_IsRefusedAsNotRunning(string state)
    {
        var process = Finished(state);

        RuleAssert.Broken("process_not_running", () => process.ReportStepProgress(process.Succeeded, process.Failed, null, null));
    }

    [Fact]
    public void ReportStepProgress_WhenQueued_IsRefusedAsNotRunning() =>
        RuleAssert.Broken("process_not_running", () => Frozen(10).ReportStepProgress(1, 0, null, null));

    [Fact]
    public void RestartStep_WhenNoCheckpoint_StartsTheCountsOver()
    {
        var process = Running(100);
        process.ReportStepProgress(70, 0, null, null);

        process.RestartStep();

        Assert.Equal(0, process.Processed);
        Assert.Equal(0, process.Succeeded);
        Assert.Equal(100, process.Total);
        process.ReportStepProgress(10, 0, null, null);
        Assert.Equal(10, process.Processed);
    }

    [Fact]
    public void RestartStep_WhenACheckpointWasWritten_KeepsItsCounts()
    {
        var process = Running(100);
        process.ReportStepProgress(40, 2, null, "part-2");

        process.RestartStep();

        Assert.Equal(42, process.Processed);
        Assert.Equal("part-2", process.StepCheckpoint);
    }

    [Fact]
    public void FinishStep_WhenDone_TheCountsAreTheRecordsAndTheCheckpointGoes()
    {
        var process = Running(1000);
        process.ReportStepProgress(900, 0, null, "almost");

        process.FinishStep(1010, 0);
        process.Complete(Later);

        Assert.Equal(1010, process.Total);
        Assert.Equal(1010, process.Succeeded);
        Assert.Null(process.StepCheckpoint);
        Assert.Equal(ProcessStatus.Completed, process.Status);
    }

    [Fact]
    public void FinishStep_WhenQueued_IsRefusedAsNotRunning() =>
        RuleAssert.Broken("process_not_running", () => Frozen(10).FinishStep(10, 0));

    // Complete

    [Fact]
    public void Complete_WhenEveryRecordSucceeded_IsCompleted()
    {
        var process = Running(10);
        process.RecordProgress(10, 0, 10);

        process.Complete(Later);

        Assert.Equal(ProcessStatus.Completed, process.Status);
        Assert.Equal(Later, process.FinishedAt);
        Assert.True(process.IsFinished);
        Assert.Equal(100, process.ProgressPercent);
    }

    [Fact]
    public void Complete_WhenSomeRecordsFailed_IsCompletedWithErrors()
    {
        var process = Running(10);
        process.RecordProgress(9, 1, 10);

        process.Complete(Later);

        Assert.Equal(ProcessStatus.CompletedWithErrors, process.Status);
        Assert.Equal(Later, process.FinishedAt);
    }

    [Fact]
    public void Complete_WhenThereWereNoRecords_IsCompletedAtOneHundredPercent()
    {
        var process = Running(0);

        process.Complete(Later);

        Assert.Equal(ProcessStatus.Completed, process.Status);
        Assert.Equal(100, process.ProgressPercent);
    }

    [Fact]
    public void Complete_WhenRecordsRemain_IsRefusedAndKeepsRunning()
    {
        var process = Running(10);
        process.RecordProgress(6, 1, 7);

        RuleAssert.Broken("process_incomplete", () => process.Complete(Later));
        Assert.Equal(ProcessStatus.Running, process.Status);
        Assert.Null(process.FinishedAt);
    }

    [Fact]
    public void Complete_WhenQueued_IsRefusedAsNotRunning()
    {
        var process = Frozen(0);

        RuleAssert.Broken("process_not_running", () => process.Complete(Later));
        Assert.Equal(ProcessStatus.Queued, process.Status);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void Complete_WhenFinished_IsRefusedAsNotRunning(string state)
    {
        var process = Finished(state);
        var status = process.Status;

        RuleAssert.Broken("process_not_running", () => process.Complete(Later));
        Assert.Equal(status, process.Status);
    }

    // Fail

    [Fact]
    public void Fail_WhenQueued_FailsWithTheReasonAndStartsAndFinishesAtOnce()
    {
        var process = Frozen(10);

        process.Fail("  The job ran out of retries.  ", Later);

        Assert.Equal(ProcessStatus.Failed, process.Status);
        Assert.Equal("The job ran out of retries.", process.FailureReason);
        Assert.Equal(Later, process.StartedAt);
        Assert.Equal(Later, process.FinishedAt);
    }

    [Fact]
    public void Fail_WhenRunning_FailsAndKeepsWhenItStartedAndWhatItDid()
    {
        var process = Running(10);
        process.RecordProgress(3, 0, 3);

        process.Fail("Database unavailable.", Later);

        Assert.Equal(ProcessStatus.Failed, process.Status);
        Assert.Equal(QueuedAt.AddSeconds(1), process.StartedAt);
        Assert.Equal(Later, process.FinishedAt);
        Assert.Equal(3, process.Succeeded);
    }

    [Fact]
    public void Fail_WhenReasonBlank_IsRejectedAndStaysActive()
    {
        var process = Running(10);

        RuleAssert.Invalid("reason", () => process.Fail("  ", Later));
        Assert.Equal(ProcessStatus.Running, process.Status);
        Assert.Null(process.FinishedAt);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void Fail_WhenFinished_IsRefusedAsNotActive(string state)
    {
        var process = Finished(state);
        var status = process.Status;
        var finishedAt = process.FinishedAt;

        RuleAssert.Broken("process_not_active", () => process.Fail("Too late.", Later));
        Assert.Equal(status, process.Status);
        Assert.Equal(finishedAt, process.FinishedAt);
    }

    // RequestCancellation

    [Fact]
    public void RequestCancellation_WhenQueued_CancelsAtOnceAndSaysSo()
    {
        var process = Frozen(10);

        var cancelled = process.RequestCancellation(Later);

        Assert.True(cancelled);
        Assert.Equal(ProcessStatus.Cancelled, process.Status);
        Assert.True(process.CancellationRequested);
        Assert.Equal(Later, process.FinishedAt);
        Assert.True(process.IsFinished);
    }

    [Fact]
    public void RequestCancellation_WhenRunning_OnlyFlagsItForTheNextCheckpoint()
    {
        var process = Running(10);
        process.RecordProgress(4, 0, 4);

        var cancelled = process.RequestCancellation(Later);

        Assert.False(cancelled);
        Assert.Equal(ProcessStatus.Running, process.Status);
        Assert.True(process.CancellationRequested);
        Assert.Null(process.FinishedAt);
        Assert.Equal(4, process.Processed);
    }

    [Fact]
    public void RequestCancellation_WhenRequestedTwiceWhileRunning_StaysRunningUntilTheCheckpoint()
    {
        var process = Running(10);
        process.RequestCancellation(QueuedAt.AddSeconds(2));

        var cancelled = process.RequestCancellation(Later);

        Assert.False(cancelled);
        Assert.Equal(ProcessStatus.Running, process.Status);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void RequestCancellation_WhenFinished_IsRefusedAsNotActive(string state)
    {
        var process = Finished(state);
        var status = process.Status;

        RuleAssert.Broken("process_not_active", () => process.RequestCancellation(Later));
        Assert.Equal(status, process.Status);
    }

    // StopAtCheckpoint

    [Fact]
    public void StopAtCheckpoint_WhenRunning_CancelsAndKeepsCommittedWork()
    {
        var process = Running(10);
        process.RecordProgress(3, 1, 4);
        process.RequestCancellation(QueuedAt.AddSeconds(2));

        process.StopAtCheckpoint(Later);

        Assert.Equal(ProcessStatus.Cancelled, process.Status);
        Assert.Equal(Later, process.FinishedAt);
        Assert.Equal(4, process.Processed);
        Assert.Equal(3, process.Succeeded);
        Assert.Equal(1, process.Failed);
        Assert.Equal(40, process.ProgressPercent);
    }

    [Fact]
    public void StopAtCheckpoint_WhenQueued_IsRefusedAsNotRunning()
    {
        var process = Frozen(10);

        RuleAssert.Broken("process_not_running", () => process.StopAtCheckpoint(Later));
        Assert.Equal(ProcessStatus.Queued, process.Status);
    }

    [Theory]
    [MemberData(nameof(FinishedStates), MemberType = typeof(TestProcesses))]
    public void StopAtCheckpoint_WhenFinished_IsRefusedAsNotRunning(string state)
    {
        var process = Finished(state);
        var status = process.Status;

        RuleAssert.Broken("process_not_running", () => process.StopAtCheckpoint(Later));
        Assert.Equal(status, process.Status);
    }

    // AttachFile

    [Fact]
    public void AttachFile_WhenErrorReportWritten_ListsItUntilItsLifetimeEnds()
    {
        var process = Running(10);
        process.RecordProgress(8, 2, 10);

        var file = process.AttachFile(
            ProcessFileKind.ErrorReport, "errors.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "processes/abc/errors.xlsx", 2048, Later, TimeSpan.FromDays(7));

        Assert.Same(file, Assert.Single(process.Files));
        Assert.NotEqual(Guid.Empty, file.Id);
        Assert.Equal(ProcessFileKind.ErrorReport, file.Kind);
        Assert.Equal("errors.xlsx", file.FileName);
        Assert.Equal("processes/abc/errors.xlsx", file.StorageKey);
        Assert.Equal(2048, file.SizeBytes);
        Assert.Equal(Later, file.CreatedAt);
        Assert.Equal(Later.AddDays(7), file.ExpiresAt);
        Assert.False(file.IsExpired(Later.AddDays(7).AddTicks(-1)));
        Assert.True(file.IsExpired(Later.AddDays(7)));
    }

    [Fact]
    public void AttachFile_WhenSeveralFiles_KeepsEveryOneInOrder()
    {
        var process = Running(0);

        process.AttachFile(ProcessFileKind.Result, "result.csv", "text/csv", "k1", 10, Later, TimeSpan.FromDays(1));
        process.AttachFile(ProcessFileKind.ErrorReport, "errors.xlsx", "text/csv", "k2", 20, Later, TimeSpan.FromDays(1));

        Assert.Equal(new[] { ProcessFileKind.Result, ProcessFileKind.ErrorReport }, process.Files.Select(f => f.Kind));
    }

    // ProgressPercent

    [Theory]
    [InlineData(3, 0, 0)]
    [InlineData(3, 1, 33)]
    [InlineData(3, 2, 66)]
    [InlineData(3, 3, 100)]
    [InlineData(10_000_000_000, 5_000_000_000, 50)]
    public void ProgressPercent_WhenRunning_IsTheProcessedShareRoundedDown(long total, long processed, int expected)
    {
        var process = Running(total);
        if (processed > 0)
        {
            process.RecordProgress(processed, 0, processed);
        }

        Assert.Equal(expected, process.ProgressPercent);
    }

    [Fact]
    public void ProgressPercent_WhenNoRecordsAndNotFinished_IsZero() => Assert.Equal(0, Running(0).ProgressPercent);

    [Fact]
    public void ProgressPercent_WhenNoRecordsAndCancelled_IsOneHundred()
    {
        var process = Frozen(0);
        process.RequestCancellation(Later);

        Assert.Equal(100, process.ProgressPercent);
    }
}
