using System.Globalization;
using System.Text;
using Npgsql;

namespace Moonflow.Infrastructure.Exports;

/// <summary>
/// How a tray query takes its values: as command parameters, or written into the SQL text for COPY, which accepts
/// no parameters. Both accept the same few types; anything else is a programming error.
/// </summary>
internal abstract class SqlValues
{
    /// <summary>Binds a value and answers the SQL that stands for it.</summary>
    public abstract string Add(object value);

    public static SqlValues ParametersOf(NpgsqlCommand command) => new CommandParameters(command);

    public static SqlValues Literals() => new InlineLiterals();

    private sealed class CommandParameters(NpgsqlCommand command) : SqlValues
    {
        public override string Add(object value)
        {
            // timestamptz parameters must be UTC.
            command.Parameters.Add(new NpgsqlParameter { Value = value is DateTimeOffset instant ? instant.ToUniversalTime() : value });
            return $"${command.Parameters.Count}";
        }
    }

    /// <summary>
    /// Literals that cannot break out of their quotes whatever the text: text travels base64-encoded, the other
    /// types are formatted here from characters that need no escaping.
    /// </summary>
    private sealed class InlineLiterals : SqlValues
    {
        public override string Add(object value) => value switch
        {
            // Plain words (an enum's name, a zone, a separator) are written as they are: PostgreSQL then folds them
            // once instead of decoding them for every row.
            string text when text.All(IsPlain) => $"'{text}'",
            string text => $"convert_from(decode('{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}', 'base64'), 'UTF8')",
            Guid id => $"'{id:D}'::uuid",
            DateTimeOffset instant => $"'{instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}'::timestamptz",
            DateOnly day => $"'{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'::date",
            int number => number.ToString(CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            string[] { Length: 0 } => "'{}'::text[]",
            string[] texts => $"ARRAY[{string.Join(", ", texts.Select(Add))}]::text[]",
            Guid[] { Length: 0 } => "'{}'::uuid[]",
            Guid[] ids => $"ARRAY[{string.Join(", ", ids.Select(id => Add(id)))}]",
            _ => throw new NotSupportedException($"A {value.GetType().Name} cannot be written into a tray query."),
        };

        /// <summary>Characters that cannot end or escape a quoted literal (no quote, no backslash, no control character).</summary>
        private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '-' or '.' or ',' or ':' or ';' or '/' or '+' or '@';
    }
}
