using Moonflow.Domain.Processes;
using static Moonflow.Domain.Tests.Support.TestProcesses;

namespace Moonflow.Domain.Tests.Processes;

public sealed class ProcessFileTests
{
    private static ProcessFile AttachedAt(DateTimeOffset now, TimeSpan lifetime) =>
        Running(0).AttachFile(ProcessFileKind.Result, "result.xlsx", "application/octet-stream", "key", 1, now, lifetime);

    [Fact]
    public void IsExpired_WhenBeforeExpiry_IsFalse()
    {
        var file = AttachedAt(QueuedAt, TimeSpan.FromDays(7));

        Assert.False(file.IsExpired(QueuedAt));
        Assert.False(file.IsExpired(QueuedAt.AddDays(6)));
    }

    [Fact]
    public void IsExpired_WhenExactlyAtOrAfterExpiry_IsTrue()
    {
        var file = AttachedAt(QueuedAt, TimeSpan.FromDays(7));

        Assert.True(file.IsExpired(QueuedAt.AddDays(7)));
        Assert.True(file.IsExpired(QueuedAt.AddDays(30)));
    }

    [Fact]
    public void IsExpired_WhenComparedInAnotherOffset_UsesTheSameInstant()
    {
        var file = AttachedAt(QueuedAt, TimeSpan.FromHours(1));
        var bogota = TimeSpan.FromHours(-5);

        Assert.False(file.IsExpired(QueuedAt.AddMinutes(59).ToOffset(bogota)));
        Assert.True(file.IsExpired(QueuedAt.AddHours(1).ToOffset(bogota)));
    }
}
