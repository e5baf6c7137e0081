using Moonflow.Application.Common.Trays;

namespace Moonflow.Infrastructure.Exports;

/// <summary>
/// A tray's downloadable rows in SQL: one tenant's rows in the range with the tray's filters, in a stable order, and
/// each column as a typed expression. It must select exactly the rows the tray's <see cref="ITraySource"/> counts
/// (tests compare the two for every filter); SQL rather than LINQ so that PostgreSQL itself can format a csv
/// download through COPY.
/// </summary>
internal interface ITraySql
{
    string Tray { get; }

    /// <summary>A column as SQL of its kind: text, numeric, date, or a local wall-clock timestamp.</summary>
    /// <param name="zone">SQL naming the tenant's time zone, for instants shown as local times.</param>
    TraySqlColumn Column(string key, string zone);

    /// <summary>The <c>FROM … WHERE … ORDER BY …</c> of the file's rows, its values bound through <paramref name="values"/>.</summary>
    string FromWhereOrderBy(TrayFile file, SqlValues values);
}

/// <param name="Sql">The expression.</param>
/// <param name="FixedValues">Its values are names Moonflow writes itself (enums), so they never need formula neutralising.</param>
internal sealed record TraySqlColumn(string Sql, bool FixedValues = false)
{
    /// <summary>An enum column (stored by member name) as the API names its values.</summary>
    public static TraySqlColumn Enum<TEnum>(string column)
        where TEnum : struct, System.Enum =>
        new($"CASE {column} {string.Join(' ', System.Enum.GetValues<TEnum>().Select(v => $"WHEN '{v}' THEN '{TrayFilters.ApiName(v)}'"))} END", FixedValues: true);
}

/// <summary>The conditions of a WHERE clause, each with its value bound once.</summary>
internal sealed class SqlConditions(SqlValues values)
{
    private readonly List<string> conditions = [];

    public SqlConditions Add(object value, Func<string, string> condition)
    {
        conditions.Add(condition(values.Add(value)));
        return this;
    }

    /// <summary>Adds the condition only when the filter has a value.</summary>
    public SqlConditions AddIf<T>(T? value, Func<string, string> condition) =>
        value is null || value is string text && string.IsNullOrWhiteSpace(text) || value is System.Collections.ICollection { Count: 0 }
            ? this
            : Add(value, condition);

    public override string ToString() => string.Join(" AND ", conditions);
}
