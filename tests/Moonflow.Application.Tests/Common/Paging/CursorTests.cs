using System.Buffers.Text;
using System.Text;
using Moonflow.Application.Common.Paging;

namespace Moonflow.Application.Tests.Common.Paging;

public sealed class CursorTests
{
    private sealed record Row(DateTimeOffset At, Guid Id);

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void TryDecode_WhenGivenAnEncodedCursor_ReturnsTheSameInstantAndId()
    {
        var original = new Cursor(new DateTimeOffset(2026, 11, 23, 9, 30, 15, 123, TimeSpan.FromHours(-5)).AddTicks(4567), Guid.CreateVersion7());

        var decoded = Cursor.TryDecode(original.Encode(), out var cursor);

        Assert.True(decoded);
        Assert.Equal(original.Id, cursor.Id);
        Assert.Equal(original.At.UtcTicks, cursor.At.UtcTicks);
    }

    [Fact]
    public void Encode_WhenUsedInAQueryString_NeedsNoEscaping()
    {
        for (var i = 0; i < 50; i++)
        {
            var encoded = new Cursor(DateTimeOffset.UnixEpoch.AddDays(i * 997), Guid.NewGuid()).Encode();

            Assert.Equal(Uri.EscapeDataString(encoded), encoded);
        }
    }

    public static TheoryData<string?> Garbage() =>
    [
        null,
        "",
        "   ",
        "not a cursor!",
        "%%%",
        Base64Url("hello"),
        Base64Url("638000000000000000"),
        Base64Url("abc:0197a1f000007000800000000000000a"),
        Base64Url("638000000000000000:not-a-guid"),
        Base64Url("638000000000000000:0197a1f0-0000-7000-8000-00000000000a"),
        Base64Url("-1:0197a1f000007000800000000000000a"),
        Base64Url($"{long.MaxValue}:0197a1f000007000800000000000000a"),
        Base64Url("638000000000000000:0197a1f000007000800000000000000a:extra"),
    ];

    [Theory]
    [MemberData(nameof(Garbage))]
    public void TryDecode_WhenNotACursorThisApiReturned_ReturnsFalse(string? value)
    {
        var decoded = Cursor.TryDecode(value, out var cursor);

        Assert.False(decoded);
        Assert.Equal(default, cursor);
    }

    [Fact]
    public void ToPage_WhenMoreRowsThanTheLimit_ReturnsTheLimitAndACursorToTheLastRowShown()
    {
        var rows = Rows(4);

        var page = Cursor.ToPage(rows.ToList(), 3, r => new Cursor(r.At, r.Id));

        Assert.Equal(rows.Take(3), page.Items);
        Assert.NotNull(page.NextCursor);
        Assert.True(Cursor.TryDecode(page.NextCursor, out var next));
        Assert.Equal(rows[2].Id, next.Id);
        Assert.Equal(rows[2].At, next.At);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void ToPage_WhenNoMoreRowsThanTheLimit_IsTheLastPage(int count)
    {
        var rows = Rows(count);

        var page = Cursor.ToPage(rows.ToList(), 3, r => new Cursor(r.At, r.Id));

        Assert.Equal(rows, page.Items);
        Assert.Null(page.NextCursor);
    }

    private static Row[] Rows(int count) =>
        Enumerable.Range(0, count)
            .Select(i => new Row(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).AddMinutes(-i), Guid.NewGuid()))
            .ToArray();
}
