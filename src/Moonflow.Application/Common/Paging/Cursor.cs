using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Moonflow.Application.Common.Paging;

/// <summary>A page of a keyset-paginated list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Keyset position: the sort key and the id of the last row seen. Opaque to callers (base64url),
/// so the encoding can change without breaking them.
/// </summary>
public readonly record struct Cursor(DateTimeOffset At, Guid Id)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string? value, out Cursor cursor)
    {
        cursor = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks)
                && Guid.TryParseExact(parts[1], "N", out var id) && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                cursor = new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }

    public static Page<T> ToPage<T>(List<T> rowsPlusOne, int limit, Func<T, Cursor> keyOf)
    {
        if (rowsPlusOne.Count <= limit)
        {
            return new Page<T>(rowsPlusOne, null);
        }

        rowsPlusOne.RemoveAt(limit);
        return new Page<T>(rowsPlusOne, keyOf(rowsPlusOne[^1]).Encode());
    }
}
