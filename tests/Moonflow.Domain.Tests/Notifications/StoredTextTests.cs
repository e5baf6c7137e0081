using Moonflow.Domain.Common;

namespace Moonflow.Domain.Tests.Notifications;

public sealed class StoredTextTests
{
    [Fact]
    public void FromJson_OfItsJson_GivesTheSameKeyAndArgumentsNestedTextsIncluded()
    {
        var label = StoredText.Of("process.export", "interactions", new DateOnly(2026, 1, 31), 12.5m);
        var message = StoredText.Of("notification.process_completed", label, 3L, 4L);

        var read = StoredText.FromJson(message.ToJson())!;

        Assert.Equal("notification.process_completed", read.Key);
        var inner = Assert.IsType<StoredText>(read.Arguments[0]);
        Assert.Equal("process.export", inner.Key);
        Assert.Equal(["interactions", "01/31/2026", "12.5"], inner.Arguments.Cast<string>());
        Assert.Equal(["3", "4"], read.Arguments.Skip(1).Cast<string>());
        Assert.Null(StoredText.FromJson(null));
    }

    [Fact]
    public void Of_AnErrorText_KeepsEachArgumentAsItsHoleFormatsIt()
    {
        var from = new DateOnly(2026, 1, 1);
        ErrorText label = $"Download {"interactions"} {from:yyyy-MM-dd}..{from.AddDays(30):yyyy-MM-dd}";

        var text = StoredText.Of("process.export", label);

        Assert.Equal("Download {0} {1:yyyy-MM-dd}..{2:yyyy-MM-dd}", label.Template);
        Assert.Equal(["interactions", "2026-01-01", "2026-01-31"], text.Arguments.Cast<string>());
    }
}
