using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Common;

namespace Moonflow.Infrastructure.Exports;

/// <summary>
/// A download's query in SQL, translated from its tray's <see cref="TrayDefinition"/>: the very expressions the
/// tray's list and count run as LINQ, written as SQL with the EF Core model's names (tables, columns, enums stored by
/// name, array columns), so that PostgreSQL itself can format a csv download through COPY. It knows the few shapes a
/// tray's expressions take (a column, a comparison with a value, <c>AND</c>/<c>OR</c>, a value among several, an
/// array column holding a value, a text prefix or part, lower case, text joined); anything else is an error at the
/// first download, and the start-up tests translate every column and filter of every tray.
/// </summary>
/// <remarks>
/// As in EF Core, a part of an expression that does not read a row (a filter's value, <c>search.Trim()</c>) is
/// evaluated in .NET and bound as a value.
/// </remarks>
internal sealed class TraySql
{
    private const string RowAlias = "t";

    private readonly IModel _model;
    private readonly TrayDefinition _tray;
    private readonly SqlValues _values;
    private readonly IEntityType _entity;
    private readonly List<string> _joins = [];
    private readonly Dictionary<TrayJoin, string> _joinAliases = [];

    private TraySql(IModel model, TrayDefinition tray, SqlValues values)
    {
        _model = model;
        _tray = tray;
        _values = values;
        _entity = EntityOf(tray.Entity);
    }

    /// <summary>
    /// <c>SELECT</c> of the file's rows: each chosen column shaped by <paramref name="shape"/>, one tenant's rows within
    /// the range and the filters, in the tray's order. Its values are bound through <paramref name="values"/>.
    /// </summary>
    public static string Select(IModel model, TrayDefinition tray, TrayFile file, SqlValues values, Func<TrayColumn, TraySqlColumn, string> shape)
    {
        var sql = new TraySql(model, tray, values);
        var zone = values.Add(ZoneName(file.Range.Zone));
        var columns = file.Columns.Select(column => shape(column, sql.Column(column.Key, zone))).ToList();
        var where = string.Join(" AND ", [sql.TenantCondition(file.TenantId), .. tray.Conditions(file.Range, file.Filters).Select(sql.Condition)]);
        var order = string.Join(", ", tray.Order.Select(key => sql.Translate(key.Body, sql.RowScope(key)).Sql));
        return $"SELECT {string.Join(", ", columns)} FROM {Table(sql._entity)} {RowAlias}{string.Concat(sql._joins)} WHERE {where} ORDER BY {order}";
    }

    /// <summary>A column as SQL of its kind: text, numeric, date, or an instant as the tenant's local wall-clock time.</summary>
    /// <param name="zone">SQL naming the tenant's time zone.</param>
    private TraySqlColumn Column(string key, string zone)
    {
        var value = _tray.ValueOf(key);
        var scope = value.Join is { } join
            ? new Scope(value.Value.Parameters[0], JoinAlias(join), EntityOf(join.Entity))
            : RowScope(value.Value);
        var body = value.Value.Body.Unboxed();
        var sql = Translate(body, scope);
        var type = Nullable.GetUnderlyingType(body.Type) ?? body.Type;
        if (type.IsEnum)
        {
            return new TraySqlColumn(ApiNames(sql), FixedValues: true);
        }

        return type == typeof(DateTimeOffset) ? new TraySqlColumn($"({sql.Sql} AT TIME ZONE {zone})") : new TraySqlColumn(sql.Sql, sql.FixedValues);
    }

    private string Condition(LambdaExpression condition) => Translate(condition.Body, RowScope(condition)).Sql;

    private string TenantCondition(Guid tenantId)
    {
        if (!typeof(ITenantOwned).IsAssignableFrom(_entity.ClrType))
        {
            throw new InvalidOperationException($"The {_tray.Tray} tray shows {_entity.ClrType.Name}, which belongs to no tenant.");
        }

        return $"{RowAlias}.{ColumnName(_entity, nameof(ITenantOwned.TenantId))} = {_values.Add(tenantId)}";
    }

    private Scope RowScope(LambdaExpression expression) => new(expression.Parameters[0], RowAlias, _entity);

    private string JoinAlias(TrayJoin join)
    {
        if (_joinAliases.TryGetValue(join, out var alias))
        {
            return alias;
        }

        alias = $"j{_joinAliases.Count + 1}";
        var joined = EntityOf(join.Entity);
        var key = joined.FindPrimaryKey()?.Properties is [var single] ? single : throw new InvalidOperationException($"{joined.ClrType.Name} has no single-column key to join on.");
        var foreignKey = Translate(join.ForeignKey.Body.Unboxed(), RowScope(join.ForeignKey)).Sql;

        // LEFT: a join never changes which rows a download holds; those stay the ones the tray counts.
        _joins.Add($" LEFT JOIN {Table(joined)} {alias} ON {alias}.{Quote(key.GetColumnName())} = {foreignKey}");
        _joinAliases.Add(join, alias);
        return alias;
    }

    /// <summary>An enum column (stored by name) as the API names its values.</summary>
    private static string ApiNames(Fragment column)
    {
        var converter = column.Property?.GetTypeMapping().Converter;
        var type = Nullable.GetUnderlyingType(column.Type) ?? column.Type;
        var cases = Enum.GetValues(type).Cast<Enum>()
            .Select(v => $"WHEN {Literal(converter?.ConvertToProvider(v) ?? v)} THEN {Literal(TrayFilters.ApiName(v))}");
        return $"CASE {column.Sql} {string.Join(' ', cases)} END";
    }

    private Fragment Translate(Expression expression, Scope scope)
    {
        expression = WithoutConversions(expression);
        if (!Reads(expression, scope.Row))
        {
            return Bound(Evaluate(expression), expression.Type, property: null);
        }

        return expression switch
        {
            MemberExpression { Expression: ParameterExpression row } member when row == scope.Row => ColumnOf(scope, member.Member.Name),
            BinaryExpression { NodeType: ExpressionType.AndAlso } and => Fragment.Bool($"({Translate(and.Left, scope).Sql} AND {Translate(and.Right, scope).Sql})"),
            BinaryExpression { NodeType: ExpressionType.OrElse } or => Fragment.Bool($"({Translate(or.Left, scope).Sql} OR {Translate(or.Right, scope).Sql})"),
            BinaryExpression { NodeType: ExpressionType.Add } add when add.Type == typeof(string) => Fragment.Text($"concat({Translate(add.Left, scope).Sql}, {Translate(add.Right, scope).Sql})"),
            BinaryExpression comparison when Comparisons.ContainsKey(comparison.NodeType) => Compare(comparison, scope),
            MethodCallExpression call => Call(call, scope),
            _ => throw Untranslatable(expression),
        };
    }

    private Fragment Compare(BinaryExpression comparison, Scope scope)
    {
        var (left, right) = (WithoutConversions(comparison.Left), WithoutConversions(comparison.Right));
        var (leftReads, rightReads) = (Reads(left, scope.Row), Reads(right, scope.Row));
        var leftSql = leftReads ? Translate(left, scope) : null;
        var rightSql = rightReads ? Translate(right, scope) : null;

        // A value is compared as the column it meets is stored (an enum by its name).
        leftSql ??= Bound(Evaluate(left), left.Type, rightSql?.Property);
        rightSql ??= Bound(Evaluate(right), right.Type, leftSql.Property);
        return Fragment.Bool($"({leftSql.Sql} {Comparisons[comparison.NodeType]} {rightSql.Sql})");
    }

    private Fragment Call(MethodCallExpression call, Scope scope)
    {
        var method = call.Method;
        if (method.DeclaringType == typeof(string))
        {
            return (method.Name, call.Object, call.Arguments.Count) switch
            {
                ("StartsWith", { } text, 1) => Fragment.Bool($"starts_with({Translate(text, scope).Sql}, {Translate(call.Arguments[0], scope).Sql})"),
                ("Contains", { } text, 1) => Fragment.Bool($"(strpos({Translate(text, scope).Sql}, {Translate(call.Arguments[0], scope).Sql}) > 0)"),
                ("ToLower" or "ToLowerInvariant", { } text, 0) => Fragment.Text($"lower({Translate(text, scope).Sql})"),
                ("Concat", null, _) when call.Arguments.All(a => a.Type == typeof(string)) =>
                    Fragment.Text($"concat({string.Join(", ", call.Arguments.Select(a => Translate(a, scope).Sql))})"),
                ("Join", null, 2) when call.Arguments[0].Type == typeof(string) && !Reads(call.Arguments[0], scope.Row) =>
                    Fragment.Text($"array_to_string({Translate(call.Arguments[1], scope).Sql}, {Translate(call.Arguments[0], scope).Sql})"),
                _ => throw Untranslatable(call),
            };
        }

        if (method.DeclaringType == typeof(Enumerable) && method.Name == nameof(Enumerable.Contains) && call.Arguments.Count == 2)
        {
            var (source, item) = (WithoutConversions(call.Arguments[0]), WithoutConversions(call.Arguments[1]));
            if (!Reads(source, scope.Row))
            {
                // A value among several: the values as the column stores them.
                var column = Translate(item, scope);
                var converter = column.Property?.GetTypeMapping().Converter;
                var values = ((IEnumerable)Evaluate(source)!).Cast<object>().Select(v => converter?.ConvertToProvider(v) ?? v).ToList();
                return Fragment.Bool($"({column.Sql} = ANY({_values.Add(TypedArray(values, call))}))");
            }

            if (!Reads(item, scope.Row))
            {
                // An array column holding the value; @> lets PostgreSQL use the column's GIN index.
                return Fragment.Bool($"({Translate(source, scope).Sql} @> ARRAY[{Bound(Evaluate(item), item.Type, property: null).Sql}])");
            }
        }

        if (method.Name == nameof(ToString) && call.Arguments.Count == 0 && call.Object is { Type.IsEnum: true } enumValue)
        {
            // An enum's own name is how it is stored.
            var column = Translate(enumValue, scope);
            return column.Property?.GetTypeMapping().Converter?.ProviderClrType == typeof(string)
                ? new Fragment(column.Sql, typeof(string), null, FixedValues: true)
                : throw Untranslatable(call);
        }

        throw Untranslatable(call);
    }

    private Fragment ColumnOf(Scope scope, string member)
    {
        var property = scope.Entity.FindProperty(member) ?? throw new NotSupportedException($"{scope.Entity.ClrType.Name}.{member} is not a mapped column.");
        return new Fragment($"{scope.Alias}.{Quote(property.GetColumnName())}", property.ClrType, property, FixedValues: false);
    }

    private Fragment Bound(object? value, Type type, IReadOnlyProperty? property)
    {
        if (value is null)
        {
            throw new NotSupportedException($"The {_tray.Tray} tray compares with a null value; a filter without a value is not applied.");
        }

        var converter = property?.GetTypeMapping().Converter;
        return new Fragment(_values.Add(converter is null ? value : converter.ConvertToProvider(value)!), type, null, FixedValues: false);
    }

    private static object TypedArray(List<object> values, Expression call) => values switch
    {
        _ when values.All(v => v is string) => values.Cast<string>().ToArray(),
        _ when values.All(v => v is Guid) => values.Cast<Guid>().ToArray(),
        _ => throw new NotSupportedException($"No SQL array for the values of {call}."),
    };

    private NotSupportedException Untranslatable(Expression expression) =>
        new($"The {_tray.Tray} tray's expression '{expression}' has no SQL translation for downloads; keep tray expressions to the shapes TraySql knows.");

    /// <summary>Conversions the compiler adds (boxing, nullable lifting, an enum compared as its number) change no value.</summary>
    private static Expression WithoutConversions(Expression expression)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
               && (convert.Type.IsAssignableFrom(convert.Operand.Type) || Nullable.GetUnderlyingType(convert.Type) is not null
                   || Nullable.GetUnderlyingType(convert.Operand.Type) is not null || convert.Operand.Type.IsEnum))
        {
            expression = convert.Operand;
        }

        return expression;
    }

    private static bool Reads(Expression expression, ParameterExpression row) => new ParameterFinder(row).Finds(expression);

    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Expression: ConstantExpression owner, Member: PropertyInfo property } => property.GetValue(owner.Value),
        _ => Expression.Lambda(expression).Compile(preferInterpretation: true).DynamicInvoke(),
    };

    private IEntityType EntityOf(Type type) =>
        _model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity of the EF Core model.");

    private static string ColumnName(IEntityType entity, string property) =>
        Quote((entity.FindProperty(property) ?? throw new InvalidOperationException($"{entity.ClrType.Name} has no {property}.")).GetColumnName());

    private static string Table(IEntityType entity) => $"{Quote(entity.GetSchema() ?? "public")}.{Quote(entity.GetTableName()!)}";

    /// <summary>Moonflow's names are snake_case; anything else would need quoting, which no tray has needed.</summary>
    private static string Quote(string name) =>
        name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') ? name : throw new NotSupportedException($"The name '{name}' would need quoting.");

    /// <summary>A literal of a value Moonflow writes itself (an enum's stored and API names).</summary>
    private static string Literal(object value) => value switch
    {
        string text when !text.Contains('\'') && !text.Contains('\\') => $"'{text}'",
        int or long => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        _ => throw new NotSupportedException($"'{value}' cannot be written as a literal."),
    };

    /// <summary>PostgreSQL knows zones by their IANA names.</summary>
    private static string ZoneName(TimeZoneInfo zone) =>
        zone.HasIanaId ? zone.Id
        : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana
        : throw new InvalidOperationException($"The time zone {zone.Id} has no IANA name.");

    private static readonly Dictionary<ExpressionType, string> Comparisons = new()
    {
        [ExpressionType.Equal] = "=",
        [ExpressionType.NotEqual] = "<>",
        [ExpressionType.GreaterThan] = ">",
        [ExpressionType.GreaterThanOrEqual] = ">=",
        [ExpressionType.LessThan] = "<",
        [ExpressionType.LessThanOrEqual] = "<=",
    };

    /// <summary>Where a lambda's parameter reads from: the row itself, or a joined entity.</summary>
    private sealed record Scope(ParameterExpression Row, string Alias, IEntityType Entity);

    /// <param name="Property">The mapped property when the SQL is a bare column (its value conversion applies to values it meets).</param>
    /// <param name="FixedValues">The values are names Moonflow writes itself, never formula-looking text.</param>
    private sealed record Fragment(string Sql, Type Type, IReadOnlyProperty? Property, bool FixedValues)
    {
        public static Fragment Bool(string sql) => new(sql, typeof(bool), null, false);

        public static Fragment Text(string sql) => new(sql, typeof(string), null, false);
    }

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression expression)
        {
            _found = false;
            Visit(expression);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= node == parameter;
            return node;
        }
    }
}

/// <param name="Sql">The expression.</param>
/// <param name="FixedValues">Its values are names Moonflow writes itself (enums), so they never need formula neutralising.</param>
internal sealed record TraySqlColumn(string Sql, bool FixedValues = false);
