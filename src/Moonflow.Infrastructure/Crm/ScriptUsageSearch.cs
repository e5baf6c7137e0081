using Moonflow.Application.Crm.Scripts;
using Moonflow.Domain.Crm;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// Script usages in two steps in one statement. The trigram index over <c>crm.script_search_text(text)</c> (lower case,
/// no accents; migration <c>ScriptSearchIndex</c>) finds the candidate scripts; only those are split into lines, and
/// each line is checked exactly: a data object as a whole word with PostgreSQL's word boundaries (<c>\m…\M</c>),
/// case as written, a fragment with <c>LIKE</c> over the folded line, so case and accents do not matter.
/// </summary>
internal sealed class ScriptUsageSearch(NpgsqlDataSource dataSource) : IScriptUsageSearch
{
    // The candidate condition is written on the folded text with the pattern built from the parameter: the planner
    // folds the immutable functions of a parameter into a constant, which is what lets the trigram index read it.
    private const string ByObject =
        @"crm.script_search_text(s.text) ~ ('\m' || lower($2) || '\M') AND l.text ~ ('\m' || $2 || '\M')";

    private const string ByFragment =
        "crm.script_search_text(s.text) LIKE ('%' || crm.script_like_literal(crm.script_search_text($2)) || '%') "
        + "AND crm.script_search_text(l.text) LIKE ('%' || crm.script_like_literal(crm.script_search_text($2)) || '%')";

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
        SELECT sc.id, sc.name, ss.id, ss.position, ss.name, s.id, s.position, s.name, l.line, l.text
        FROM crm.scripts s
        JOIN crm.sub_screens ss ON ss.id = s.sub_screen_id
        JOIN crm.screens sc ON sc.id = ss.screen_id
        CROSS JOIN LATERAL regexp_split_to_table(s.text, E'\r?\n') WITH ORDINALITY AS l(text, line)
        WHERE s.tenant_id = $1
          AND {0}
          AND ($3 IS NULL OR (sc.name, sc.id, ss.position, s.position, l.line)
                             > (SELECT name, screen_id, sub_screen_position, script_position, $4 FROM after))
        ORDER BY sc.name, sc.id, ss.position, s.position, l.line
        LIMIT $5
        """;

    private static readonly string ByObjectSql = SearchSql.Replace("{0}", ByObject, StringComparison.Ordinal);

    private static readonly string ByFragmentSql = SearchSql.Replace("{0}", ByFragment, StringComparison.Ordinal);

    /// <summary>Longest line text returned; a longer line is cut (the whole script is one request away).</summary>
    private const int MaxLineText = 1_000;

    public async Task<List<ScriptUsageDto>> FindAsync(
        Guid tenantId, ScriptSearch search, ScriptLinePosition? after, int take, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(search.DataObject is null ? ByFragmentSql : ByObjectSql);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = search.DataObject ?? search.Fragment! });
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } position ? position.ScriptId : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(after?.Line ?? 0) });
        command.Parameters.Add(new NpgsqlParameter { Value = take });

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
}
