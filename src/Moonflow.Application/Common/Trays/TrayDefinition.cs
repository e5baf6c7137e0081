using System.Collections;
using System.Linq.Expressions;
using System.Text.Json;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Domain.Common;

namespace Moonflow.Application.Common.Trays;

/// <summary>
/// A tray, defined once: its name, the entity its rows are, the range its downloads cover, its stable order, its
/// columns (each an expression over the entity) and its filters (each a predicate over the entity and the filter's
/// value). Lists and counts apply these expressions as LINQ; downloads translate the very same expressions to SQL
/// (Infrastructure's <c>TraySqlTranslator</c>), so a list, its count and its file cannot select different rows.
/// </summary>
/// <remarks>
/// Parts of an expression that do not read the entity (a filter's value, <c>search.Trim().ToLowerInvariant()</c>)
/// are evaluated in .NET on both paths, as EF Core does; only the parts that read the entity run in PostgreSQL.
/// </remarks>
public abstract class TrayDefinition : IColumnCatalog
{
    private readonly List<TrayColumn> _columns = [];
    private readonly Dictionary<string, TrayColumnValue> _values = new(StringComparer.Ordinal);
    private readonly List<TrayFilter> _filters = [];
    private Dictionary<string, string>? _downloadFilters;

    protected TrayDefinition(string tray) => Tray = tray;

    public string Tray { get; }

    /// <summary>The entity whose rows the tray shows.</summary>
    public abstract Type Entity { get; }

    public IReadOnlyList<TrayColumn> Columns => _columns;

    /// <summary>Every filter, the list-only ones included.</summary>
    public IReadOnlyList<TrayFilter> Filters => _filters;

    /// <summary>The filters a download's <c>filters</c> object takes, with what each does.</summary>
    public IReadOnlyDictionary<string, string> DownloadFilters =>
        _downloadFilters ??= _filters.Where(f => f.InDownloads).ToDictionary(f => f.Name, f => f.Description, StringComparer.Ordinal);

    /// <summary>The order of a download's rows, each key ascending; the last one is unique.</summary>
    public abstract IReadOnlyList<LambdaExpression> Order { get; }

    /// <summary>How a column's value is read.</summary>
    public TrayColumnValue ValueOf(string key) =>
        _values.TryGetValue(key, out var value) ? value : throw new ArgumentOutOfRangeException(nameof(key), key, $"Unknown {Tray} column.");

    /// <summary>Checks and binds a download's <c>filters</c> object: an unknown or malformed filter is an error, not something silently ignored.</summary>
    public abstract object BindFilters(JsonElement? filters);

    /// <summary>
    /// The filters narrowed to the rows <paramref name="caller"/> may see (an agent's own agendas), applied when a download
    /// is planned so that the export keeps them and a deferred run holds the same rows; the filters as given when the tray
    /// shows every caller everything.
    /// </summary>
    public virtual object RowsVisibleTo(ICurrentUser caller, object filters) => filters;

    /// <summary>What a download's rows meet: the range, then every filter that has a value; each a predicate over <see cref="Entity"/>.</summary>
    public abstract IReadOnlyList<LambdaExpression> Conditions(TrayRange range, object filters);

    /// <summary>How many rows a download of the range with these filters holds.</summary>
    public abstract Task<long> CountAsync(IReadStore store, TrayRange range, object filters, CancellationToken cancellationToken);

    private protected void AddColumn(TrayColumn column, TrayColumnValue value)
    {
        if (!_values.TryAdd(column.Key, value))
        {
            throw new InvalidOperationException($"The {Tray} tray defines the column '{column.Key}' twice.");
        }

        _columns.Add(column);
    }

    private protected void AddFilter(TrayFilter filter)
    {
        if (_filters.Any(f => f.Name == filter.Name))
        {
            throw new InvalidOperationException($"The {Tray} tray defines the filter '{filter.Name}' twice.");
        }

        _filters.Add(filter);
    }

    /// <summary>The cell kind a value's type is shown as; money is the only decimal a tray has.</summary>
    private protected static CellKind KindOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(DateTimeOffset) => CellKind.DateTime,
        var t when t == typeof(DateOnly) => CellKind.Date,
        var t when t == typeof(decimal) => CellKind.Money,
        var t when t == typeof(int) || t == typeof(long) => CellKind.Integer,
        _ => CellKind.Text,
    };
}

/// <summary>A tray over the entity <typeparamref name="T"/>, filtered by the fields of <typeparamref name="TFilter"/>.</summary>
/// <typeparam name="TFilter">The filters as a record: what list endpoints bind from the query string and downloads from JSON.</typeparam>
public abstract class TrayDefinition<T, TFilter> : TrayDefinition
    where T : class
    where TFilter : class
{
    private readonly TFilter _empty;
    private readonly Expression<Func<T, TrayRange, bool>> _range;
    private readonly IReadOnlyList<LambdaExpression> _order;
    private readonly List<Func<TFilter, Expression<Func<T, bool>>?>> _predicates = [];
    private Func<ICurrentUser, TFilter, TFilter>? _visibleTo;

    /// <param name="tray">The tray's name in URLs and downloads.</param>
    /// <param name="empty">The filters when none is given.</param>
    /// <param name="range">A download's range on the tray's date.</param>
    /// <param name="order">A download's order: keys ascending, the last one unique.</param>
    protected TrayDefinition(string tray, TFilter empty, Expression<Func<T, TrayRange, bool>> range, params Expression<Func<T, object>>[] order)
        : base(tray)
    {
        _empty = empty;
        _range = range;
        _order = order;
    }

    public override Type Entity => typeof(T);

    public override IReadOnlyList<LambdaExpression> Order => _order;

    public override object BindFilters(JsonElement? filters)
    {
        if (filters is { ValueKind: JsonValueKind.Object } given)
        {
            var unknown = given.EnumerateObject().Select(p => p.Name)
                .Where(name => !DownloadFilters.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                throw new DomainValidationException(
                    "filters", $"Unknown filters for the {Tray} tray: {string.Join(", ", unknown)}. Its filters: {string.Join(", ", DownloadFilters.Keys)}.");
            }
        }

        return TrayFilters.Bind(filters, _empty);
    }

    public override IReadOnlyList<LambdaExpression> Conditions(TrayRange range, object filters) => Conditions((TFilter)filters, range);

    public override object RowsVisibleTo(ICurrentUser caller, object filters) => _visibleTo is null ? filters : _visibleTo(caller, (TFilter)filters);

    public override Task<long> CountAsync(IReadStore store, TrayRange range, object filters, CancellationToken cancellationToken) =>
        store.CountAsync(Apply(store.Query<T>(), (TFilter)filters, range), cancellationToken);

    /// <summary>The tray's rows that meet every filter with a value, and the range when one is given.</summary>
    public IQueryable<T> Apply(IQueryable<T> query, TFilter filter, TrayRange? range = null) =>
        Conditions(filter, range).Aggregate(query, (rows, condition) => rows.Where(condition));

    public IReadOnlyList<Expression<Func<T, bool>>> Conditions(TFilter filter, TrayRange? range)
    {
        var conditions = new List<Expression<Func<T, bool>>>();
        if (range is not null)
        {
            conditions.Add(Bind(_range, range));
        }

        conditions.AddRange(_predicates.Select(p => p(filter)).OfType<Expression<Func<T, bool>>>());
        return conditions;
    }

    /// <summary>The chosen columns' values as one array per row, after the <paramref name="leading"/> values (a list's id and cursor).</summary>
    public Expression<Func<T, object?[]>> Select(IReadOnlyList<string> columns, params Expression<Func<T, object?>>[] leading)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var values = leading.Select(l => l.Body.Replace(l.Parameters[0], row)).Concat(columns.Select(key =>
        {
            var value = ValueOf(key);
            return value.Join is null
                ? value.Value.Body.Replace(value.Value.Parameters[0], row)
                : throw new NotSupportedException($"The {Tray} column '{key}' reads another entity; lists cannot show it yet.");
        }));
        var boxed = values.Select(v => v.Type == typeof(object) ? v : Expression.Convert(v, typeof(object)));
        return Expression.Lambda<Func<T, object?[]>>(Expression.NewArrayInit(typeof(object), boxed), row);
    }

    /// <summary>
    /// A per-caller row filter: given the caller and the filters they asked for, the filters that keep only the rows they
    /// may see (or a <see cref="Exceptions.ForbiddenException"/> when they asked for rows they may not).
    /// </summary>
    protected void RowsVisibleTo(Func<ICurrentUser, TFilter, TFilter> narrow) => _visibleTo = narrow;

    /// <summary>A column read from the row itself.</summary>
    protected void Column(
        string key, string labelEs, string labelEn, Expression<Func<T, object?>> value, bool shownByDefault = true, double width = 18, CellKind? kind = null) =>
        AddColumn(new TrayColumn(key, labelEs, labelEn, shownByDefault, kind ?? KindOf(value.Body.Unboxed().Type), width), new TrayColumnValue(value, null));

    /// <summary>A column read from the entity the row refers to through <paramref name="join"/>.</summary>
    protected void Column<TJoined>(
        string key, string labelEs, string labelEn, TrayJoin join, Expression<Func<TJoined, object?>> value, bool shownByDefault = true, double width = 18,
        CellKind? kind = null)
    {
        if (join.Entity != typeof(TJoined))
        {
            throw new ArgumentException($"The column '{key}' reads {typeof(TJoined).Name}, not the joined {join.Entity.Name}.", nameof(value));
        }

        AddColumn(new TrayColumn(key, labelEs, labelEn, shownByDefault, kind ?? KindOf(value.Body.Unboxed().Type), width), new TrayColumnValue(value, join));
    }

    /// <summary>The entity of type <typeparamref name="TJoined"/> a row refers to by <paramref name="foreignKey"/> (its primary key).</summary>
    protected static TrayJoin Join<TJoined>(Expression<Func<T, Guid>> foreignKey)
        where TJoined : class => new(typeof(TJoined), foreignKey);

    /// <summary>A filter on a value-typed field of the filters; applied when the field has a value.</summary>
    /// <param name="property">The field; the filter's name is its JSON name.</param>
    /// <param name="description">What it does, for people; an enum's values are listed by themselves when this is null.</param>
    /// <param name="predicate">The rows it keeps, given the value.</param>
    /// <param name="inDownloads">False for the bounds of a list on the tray's date, which downloads take as their range.</param>
    protected void Filter<TValue>(
        Expression<Func<TFilter, TValue?>> property, string? description, Expression<Func<T, TValue, bool>> predicate, bool inDownloads = true)
        where TValue : struct
    {
        var read = property.Compile();
        AddFilter(property, description, predicate, inDownloads, filter => read(filter) is { } value ? value : null);
    }

    /// <summary>A filter on a text or list field of the filters; applied when the field is neither null, blank nor empty.</summary>
    protected void Filter<TValue>(
        Expression<Func<TFilter, TValue?>> property, string? description, Expression<Func<T, TValue, bool>> predicate, bool inDownloads = true)
        where TValue : class
    {
        var read = property.Compile();
        AddFilter(property, description, predicate, inDownloads, filter => read(filter) is { } value && HasValue(value) ? value : null);
    }

    private void AddFilter<TValue>(
        LambdaExpression property, string? description, Expression<Func<T, TValue, bool>> predicate, bool inDownloads, Func<TFilter, object?> read)
    {
        var member = property.Body.Unboxed() as MemberExpression ?? throw new ArgumentException("A filter names a field of the filters.", nameof(property));
        var name = JsonNamingPolicy.CamelCase.ConvertName(member.Member.Name);
        AddFilter(new TrayFilter(name, description ?? Describe(typeof(TValue)), typeof(TValue), inDownloads, predicate));
        _predicates.Add(filter => read(filter) is { } value ? Bind(predicate, (TValue)value) : null);
    }

    /// <summary>The predicate with its second parameter bound to <paramref name="value"/> as EF Core binds a captured variable: a parameter, not a constant.</summary>
    private static Expression<Func<T, bool>> Bind<TValue>(Expression<Func<T, TValue, bool>> predicate, TValue value)
    {
        var bound = Expression.Property(Expression.Constant(new Captured<TValue>(value)), nameof(Captured<TValue>.Value));
        return Expression.Lambda<Func<T, bool>>(predicate.Body.Replace(predicate.Parameters[1], bound), predicate.Parameters[0]);
    }

    private static bool HasValue(object value) => value switch
    {
        string text => !string.IsNullOrWhiteSpace(text),
        IEnumerable values => values.GetEnumerator().MoveNext(),
        _ => true,
    };

    private static string Describe(Type type)
    {
        var element = type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
        var single = Nullable.GetUnderlyingType(element ?? type) ?? element ?? type;
        var text = single.IsEnum ? string.Join(", ", Enum.GetValues(single).Cast<Enum>().Select(TrayFilters.ApiName)) : single.Name;
        return element is null ? text : $"{text} (array)";
    }

    private sealed class Captured<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }
}

/// <summary>A filter of a tray, by the JSON name of its field; <see cref="Predicate"/> takes the entity and the value.</summary>
public sealed record TrayFilter(string Name, string Description, Type ValueType, bool InDownloads, LambdaExpression Predicate);

/// <summary>How a column's value is read: an expression over the tray's entity, or over the entity <see cref="Join"/> refers to.</summary>
public sealed record TrayColumnValue(LambdaExpression Value, TrayJoin? Join);

/// <summary>An entity the tray's rows refer to by a foreign key to its primary key (a payment order's client).</summary>
public sealed record TrayJoin(Type Entity, LambdaExpression ForeignKey);

public static class TrayExpressions
{
    /// <summary>The expression under the boxing a column's <c>object</c> type adds.</summary>
    public static Expression Unboxed(this Expression expression) =>
        expression is UnaryExpression { NodeType: ExpressionType.Convert } convert && convert.Type == typeof(object) ? convert.Operand : expression;

    public static Expression Replace(this Expression expression, ParameterExpression parameter, Expression replacement) =>
        new ParameterReplacer(parameter, replacement).Visit(expression);

    private sealed class ParameterReplacer(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }
}
