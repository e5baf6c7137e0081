using Moonflow.Application.Crm.Scripts;
using Moonflow.Domain.Crm;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// Script usages in two steps in one statement (indexes of migration <c>ScriptSearchIndex</c>). An index finds the
/// candidate scripts: for a data object, the GIN index over each script's words (exact, case as written); for a
/// fragment, the trigram index over <c>search_text</c>, the text folded to lower case without accents. Only the
/// candidates are split into lines, and each line is checked exactly: the object as a whole word with PostgreSQL's word
/// boundaries (<c>\m…\M</c>), the fragment with <c>LIKE</c> over the folded line (folded text keeps the lines of the text).
/// </summary>
internal sealed class ScriptUsageSearch(NpgsqlDataSource dataSource) : IScriptUsageSearch
{
    // The patterns are built from the parameter with immutable functions, which the planner folds into constants: what
    // lets an index read them.
    private const string ByObject =
        @"crm.script_words(s.text) @> ARRAY[$2::text] AND l.text ~ ('\m' || $2 || '\M')";

    private const string ByFragment =
        "s.search_text LIKE ('%' || crm.script_like_literal(crm.script_search_text($2)) || '%') "
        + "AND l.folded LIKE ('%' || crm.script_like_literal(crm.script_search_text($2)) || '%')";

    /// <summary>
    /// Lines in the order a person reads them: screens by name, then sub-screens, scripts and lines by position. The
    /// cursor names the last script and line seen; its place in that order is read back from the script itself.
    /// </summary>
    private const string SearchSql =
        """
        WITH after AS (
            SELECT sc.name, sc.id AS screen_id, ss.position AS sub_screen_position, s.position AS script_position
            FROM crm.scripts s
            JOIN crm.sub_screens ss ON ss.id = s.sub_screen_id
            JOIN crm.screens sc ON sc.id = ss.screen_id
            WHERE s.id = $3 AND s.tenant_id = $1)
        SELECT sc.id, sc.name, ss.id, ss.position, ss.name, s.id, s.position, s.name, l.line, rtrim(l.text, E'\r')
        FROM crm.scripts s
        JOIN crm.sub_screens ss ON ss.id = s.sub_screen_id
        JOIN crm.screens sc ON sc.id = ss.screen_id
        CROSS JOIN LATERAL {1}
        WHERE s.tenant_id = $1
          AND {0}
          AND ($3 IS NULL OR (sc.name, sc.id, ss.position, s.position, l.line)
                             > (SELECT name, screen_id, sub_screen_position, script_position, $4 FROM after))
        ORDER BY sc.name, sc.id, ss.position, s.position, l.line
        LIMIT $5
        """;

    // Lines split with string_to_array, many times faster than a regular expression (a \r before a \n is trimmed off);
    // a fragment's lines are read from the folded copy beside the text's, as folding keeps every line break.
    private const string ObjectLines = @"unnest(string_to_array(s.text, E'\n')) WITH ORDINALITY AS l(text, line)";

    private const string FragmentLines =
        @"unnest(string_to_array(s.text, E'\n'), string_to_array(s.search_text, E'\n')) WITH ORDINALITY AS l(text, folded, line)";

    private static readonly string ByObjectSql = SearchSql.Replace("{0}", ByObject, StringComparison.Ordinal).Replace("{1}", ObjectLines, StringComparison.Ordinal);

    private static readonly string ByFragmentSql = SearchSql.Replace("{0}", ByFragment, StringComparison.Ordinal).Replace("{1}", FragmentLines, StringComparison.Ordinal);

    /// <summary>Longest line text returned; a longer line is cut (the whole script is one request away).</summary>
    private const int MaxLineText = 1_000;

    public async Task<List<ScriptUsageDto>> FindAsync(
        Guid tenantId, ScriptSearch search, ScriptLinePosition? after, int take, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource, tenantId, search, after, take);
        var usages = new List<ScriptUsageDto>(Math.Min(take, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var text = reader.GetString(9);
            usages.Add(new ScriptUsageDto(
                new ScriptUsageScreen(reader.GetGuid(0), reader.GetString(1)),
                new ScriptUsageSubScreen(reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4)),
                new ScriptUsageScript(reader.GetGuid(5), reader.GetInt32(6), reader.GetString(7)),
                (int)reader.GetInt64(8),
                text.Length <= MaxLineText ? text : text[..MaxLineText] + "…"));
        }

        return usages;
    }

    /// <summary>The search's statement with its parameters (the bench times and explains this very statement).</summary>
    internal static NpgsqlCommand Command(NpgsqlDataSource dataSource, Guid tenantId, ScriptSearch search, ScriptLinePosition? after, int take)
    {
        var command = dataSource.CreateCommand(search.DataObject is null ? ByFragmentSql : ByObjectSql);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = search.DataObject ?? search.Fragment! });
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } position ? position.ScriptId : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(after?.Line ?? 0) });
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        return command;
    }
}
