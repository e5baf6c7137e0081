using Moonflow.Domain.Notifications;
using Moonflow.Domain.Tests.Support;
using static Moonflow.Domain.Tests.Support.TestProcesses;

namespace Moonflow.Domain.Tests.Notifications;

public sealed class NotificationTests
{
    private static readonly DateTimeOffset Now = QueuedAt.AddMinutes(2);

    [Fact]
    public void ProcessFinished_WhenCompleted_TellsTheRequesterHowManyRecordsWereDone()
    {
        var process = Completed(10, 0);

        var notification = Notification.ProcessFinished(process, Now);

        Assert.Equal("Tag clients (+vip -) completed: 10 of 10 records done.", notification.Message);
        Assert.Equal(process.Label, notification.Title);
        Assert.Equal(RequesterId, notification.UserId);
        Assert.Equal(TenantId, notification.TenantId);
        Assert.Equal(process.Id, notification.ProcessId);
        Assert.Equal(Now, notification.CreatedAt);
        Assert.Null(notification.ReadAt);
    }

    [Fact]
    public void ProcessFinished_WhenCompletedWithErrors_CountsDoneAndFailed()
    {
        var notification = Notification.ProcessFinished(Completed(8, 2), Now);

        Assert.Equal("Tag clients (+vip -) completed with errors: 8 done, 2 failed.", notification.Message);
    }

    [Fact]
    public void ProcessFinished_WhenCancelledWhileRunning_SaysHowFarItGot()
    {
        var process = Running(10);
        process.RecordProgress(4, 0, 4);
        process.RequestCancellation(Now);
        process.StopAtCheckpoint(Now);

        var notification = Notification.ProcessFinished(process, Now);

        Assert.Equal("Tag clients (+vip -) was cancelled after 4 of 10 records.", notification.Message);
    }

    [Fact]
    public void ProcessFinished_WhenCancelledWhileQueued_SaysNothingWasDone()
    {
        var notification = Notification.ProcessFinished(Cancelled(), Now);

        Assert.Equal("Tag clients (+vip -) was cancelled after 0 of 10 records.", notification.Message);
    }

    [Fact]
    public void ProcessFinished_WhenFailed_GivesTheReason()
    {
        var notification = Notification.ProcessFinished(Failed("Database unavailable"), Now);

        Assert.Equal("Tag clients (+vip -) failed: Database unavailable.", notification.Message);
    }

    [Fact]
    public void ProcessFinished_WhenReasonAlreadyEndsWithAPeriod_DoesNotDoubleIt()
    {
        // The job's reason is a full sentence: "... support can see the details in the logs."
        var notification = Notification.ProcessFinished(Failed("Support can see the details in the logs."), Now);

        Assert.Equal("Tag clients (+vip -) failed: Support can see the details in the logs.", notification.Message);
    }

    [Fact]
    public void ProcessFinished_WhenQueued_IsRefused() =>
        RuleAssert.Invalid("process", () => Notification.ProcessFinished(Frozen(10), Now));

    [Fact]
    public void ProcessFinished_WhenRunning_IsRefused()
    {
        var process = Running(10);
        process.RequestCancellation(Now);

        RuleAssert.Invalid("process", () => Notification.ProcessFinished(process, Now));
    }

    [Fact]
    public void ProcessFinished_WhenTwoProcessesFinish_GivesDistinctNotifications()
    {
        var first = Notification.ProcessFinished(Completed(1, 0), Now);
        var second = Notification.ProcessFinished(Completed(1, 0), Now);

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void MarkRead_WhenUnread_RecordsWhenItWasRead()
    {
        var notification = Notification.ProcessFinished(Completed(1, 0), Now);

        notification.MarkRead(Now.AddMinutes(1));

        Assert.Equal(Now.AddMinutes(1), notification.ReadAt);
    }

    [Fact]
    public void MarkRead_WhenAlreadyRead_KeepsTheFirstReadTime()
    {
        var notification = Notification.ProcessFinished(Completed(1, 0), Now);
        notification.MarkRead(Now.AddMinutes(1));

        notification.MarkRead(Now.AddHours(3));

        Assert.Equal(Now.AddMinutes(1), notification.ReadAt);
    }
}
