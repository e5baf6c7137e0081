using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Common;

namespace Moonflow.Infrastructure.Persistence.Configurations;

/// <summary>A <see cref="StoredText"/> is kept as <c>jsonb</c> (<c>{"key": …, "args": [...]}</c>); null for rows older than it.</summary>
internal static class StoredTextConversion
{
    private static readonly ValueComparer<StoredText?> ByContent = new(
        (a, b) => (a == null ? null : a.ToJson()) == (b == null ? null : b.ToJson()),
        text => text == null ? 0 : text.ToJson().GetHashCode(StringComparison.Ordinal),
        text => text);

    public static PropertyBuilder<StoredText?> IsStoredText(this PropertyBuilder<StoredText?> property) => property
        .HasConversion(text => text!.ToJson(), json => StoredText.FromJson(json), ByContent)
        .HasColumnType("jsonb");
}
