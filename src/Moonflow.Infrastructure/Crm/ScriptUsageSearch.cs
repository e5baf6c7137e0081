using Moonflow.Application.Crm.Scripts;
using Moonflow.Domain.Crm;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// Script usages in one statement, in the order a person reads them (screens by name, then sub-screens, scripts and lines
/// by position), with indexes of migrations <c>ScriptSearchIndex</c> and <c>ScriptSearchWordsColumn</c>. A page needs
/// the first matching scripts in that order, and that order lives in three tables, so no single index hands it over; the
/// statement takes one of three ways, whichever is cheap for how many scripts match:
/// <list type="bullet">
/// <item>few (up to <see cref="FewScripts"/>): an index finds them all — for a data object the GIN index over each script's
/// stored <c>words</c> (exact, case as written); for a fragment the trigram index over <c>search_text</c>, the text folded
/// to lower case without accents — and only those are put in order;</item>
/// <item>many: the screens are walked in order through their indexes (screen name, sub-screen position, script position)
/// and each script is checked as it comes, stopping at the page's end: when one script in ten matches, a page of 50
/// reads about 500 scripts, where ordering every match of a fragment found in two scripts of three took 0.4 s;</item>
/// <item>many, but crowded into the last screens: once the walk has read <see cref="WalkBudget"/> scripts without filling
/// the page, every match is found through the index and put in order after all.</item>
/// </list>
/// Which way is decided inside the statement, by counting the index's matches up to <see cref="FewScripts"/> + 1 (the
/// branch not taken is never run), not by the planner, which costs the walk low for a data object named in 1 % of the
/// scripts and then reads 8,000 of them. Only the page's scripts are split into lines; each line is checked exactly: the
/// object as a whole word with PostgreSQL's word boundaries (<c>\m…\M</c>), the fragment with <c>LIKE</c> over the folded
/// line (folding keeps the lines of the text). Every matching script has a matching line, so a page's lines are among
/// its first <c>take</c> scripts after the cursor's, and the cursor's own (whose later lines may match too).
/// </summary>
internal sealed class ScriptUsageSearch(NpgsqlDataSource dataSource) : IScriptUsageSearch
{
    /// <summary>
    /// Up to this many matching scripts are found through the index and put in order (about 10 ms for 3,000); past it the
    /// walk in reading order is the cheaper way: on 100,000 scripts a match in 3 % of them or more, so a page of 50 reads
    /// fewer than 1,700 scripts. (At 1,000, a phrase in 1 % of the scripts was walked: about 5,000 scripts for a page.)
    /// </summary>
    internal const int FewScripts = 3_000;

    /// <summary>
    /// Most scripts the walk reads (about 15 ms): matches crowded into the last screens are then put in order from the
    /// index after all, rather than read past every screen before them.
    /// </summary>
    internal const int WalkBudget = 5_000;

    /// <summary>
    /// A search's predicates: the indexed one (the index's very expression, which the planner folds into a constant as
    /// every function in it is immutable), the same test for the walk written so that no index is tried for a script
    /// reached by its position, the line split and the line check.
    /// </summary>
    private sealed record Predicates(string Indexed, string Walked, string Lines, string Line);

    private const string Folded = "('%' || crm.script_like_literal(crm.script_search_text($2)) || '%')";

    private static readonly Predicates ByObject = new(
        "s.words @> ARRAY[$2::text]",
        "$2 = ANY (s.words)",
        @"unnest(string_to_array(s.text, E'\n')) WITH ORDINALITY AS l(text, line)",
        @"l.text ~ ('\m' || $2 || '\M')");

    // A fragment's lines are read from the folded copy beside the text's, as folding keeps every line break; strpos is
    // LIKE with the escaped literal, without the trigram index.
    private static readonly Predicates ByFragment = new(
        $"s.search_text LIKE {Folded}",
        "strpos(s.search_text, crm.script_search_text($2)) > 0",
        @"unnest(string_to_array(s.text, E'\n'), string_to_array(s.search_text, E'\n')) WITH ORDINALITY AS l(text, folded, line)",
        $"l.folded LIKE {Folded}");

    /// <summary>Whether a script is the cursor's or after it in reading order (every script, without a cursor).</summary>
    private static string AfterCursor(string screen, string subScreen, string script) =>
        $"($3 IS NULL OR ({screen}.name, {screen}.id, {subScreen}.position, {script}.position) "
        + ">= (SELECT name, screen_id, sub_screen_position, script_position FROM after))";

    /// <summary>How many scripts of a screen match (from the cursor on), and how many the walk read to tell: its step.</summary>
    private static string ScreenScripts(Predicates p, string screen) =>
        $"""
        (SELECT count(*) FILTER (WHERE {p.Walked} AND {AfterCursor(screen, "ss", "s")}) AS found, count(*) AS read
         FROM crm.sub_screens ss JOIN crm.scripts s ON s.sub_screen_id = ss.id
         WHERE ss.screen_id = {screen}.id AND s.tenant_id = $1)
        """;

    /// <summary>
    /// The cursor names the last script and line seen; its place in the reading order is read back from the script
    /// itself. Lines are split with string_to_array, many times faster than a regular expression (a \r before a \n is
    /// trimmed off).
    /// </summary>
    private static string Sql(Predicates p) =>
        $"""
        WITH RECURSIVE after AS (
            SELECT sc.name, sc.id AS screen_id, ss.position AS sub_screen_position, s.position AS script_position
            FROM crm.scripts s
            JOIN crm.sub_screens ss ON ss.id = s.sub_screen_id
            JOIN crm.screens sc ON sc.id = ss.screen_id
            WHERE s.id = $3 AND s.tenant_id = $1),
        candidates AS MATERIALIZED (
            SELECT s.id, s.sub_screen_id, s.position FROM crm.scripts s WHERE s.tenant_id = $1 AND {p.Indexed} LIMIT {FewScripts + 1}),
        few AS (
            SELECT sc.id AS screen_id, sc.name AS screen_name, ss.id AS sub_screen_id, ss.position AS sub_screen_position,
                   ss.name AS sub_screen_name, c.id, c.position
            FROM candidates c
            JOIN crm.sub_screens ss ON ss.id = c.sub_screen_id
            JOIN crm.screens sc ON sc.id = ss.screen_id
            WHERE (SELECT count(*) FROM candidates) <= {FewScripts} AND {AfterCursor("sc", "ss", "c")}
            ORDER BY sc.name, sc.id, ss.position, c.position
            LIMIT $5 + 1),
        walk (name, id, found, read) AS (
            -- One screen at a time in name order, with how many of its scripts match (from the cursor on), until a page's
            -- worth is found or {WalkBudget} scripts are read: how far the walk goes is the data's doing, not an estimate's.
            SELECT sc.name, sc.id, m.found, m.read
            FROM (SELECT name, id FROM crm.screens
                  WHERE tenant_id = $1 AND name >= coalesce((SELECT name FROM after), '') ORDER BY name LIMIT 1) sc
            CROSS JOIN LATERAL {ScreenScripts(p, "sc")} m
            WHERE (SELECT count(*) FROM candidates) > {FewScripts}
            UNION ALL
            SELECT sc.name, sc.id, w.found + m.found, w.read + m.read
            FROM walk w
            CROSS JOIN LATERAL (SELECT name, id FROM crm.screens WHERE tenant_id = $1 AND name > w.name ORDER BY name LIMIT 1) sc
            CROSS JOIN LATERAL {ScreenScripts(p, "sc")} m
            WHERE w.found <= $5 AND w.read < {WalkBudget}),
        many AS (
            -- The walked screens' scripts through their indexes (OFFSET 0 keeps each lookup to its screen and sub-screen).
            SELECT sc.id AS screen_id, sc.name AS screen_name, ss.id AS sub_screen_id, ss.position AS sub_screen_position,
                   ss.name AS sub_screen_name, s.id, s.position
            FROM walk sc
            CROSS JOIN LATERAL (SELECT id, position, name FROM crm.sub_screens WHERE screen_id = sc.id OFFSET 0) ss
            CROSS JOIN LATERAL (SELECT s.id, s.position FROM crm.scripts s
                                WHERE s.sub_screen_id = ss.id AND s.tenant_id = $1 AND {p.Walked} OFFSET 0) s
            WHERE (SELECT max(found) > $5 OR max(read) < {WalkBudget} FROM walk) AND {AfterCursor("sc", "ss", "s")}
            ORDER BY sc.name, sc.id, ss.position, s.position
            LIMIT $5 + 1),
        spread AS (
            -- Many matches, but too few of them in the screens the walk could afford: every match put in order after all.
            SELECT sc.id AS screen_id, sc.name AS screen_name, ss.id AS sub_screen_id, ss.position AS sub_screen_position,
                   ss.name AS sub_screen_name, s.id, s.position
            FROM crm.scripts s
            JOIN crm.sub_screens ss ON ss.id = s.sub_screen_id
            JOIN crm.screens sc ON sc.id = ss.screen_id
            WHERE (SELECT max(found) <= $5 AND max(read) >= {WalkBudget} FROM walk)
              AND s.tenant_id = $1 AND {p.Indexed} AND {AfterCursor("sc", "ss", "s")}
            ORDER BY sc.name, sc.id, ss.position, s.position
            LIMIT $5 + 1),
        page AS (SELECT * FROM few UNION ALL SELECT * FROM many UNION ALL SELECT * FROM spread)
        SELECT f.screen_id, f.screen_name, f.sub_screen_id, f.sub_screen_position, f.sub_screen_name, f.id, f.position, s.name,
               l.line, rtrim(l.text, E'\r')
        FROM page f
        JOIN crm.scripts s ON s.id = f.id
        CROSS JOIN LATERAL {p.Lines}
        WHERE {p.Line}
          AND ($3 IS NULL OR (f.screen_name, f.screen_id, f.sub_screen_position, f.position, l.line)
                             > (SELECT name, screen_id, sub_screen_position, script_position, $4 FROM after))
        ORDER BY f.screen_name, f.screen_id, f.sub_screen_position, f.position, l.line
        LIMIT $5
        """;

    private static readonly string ByObjectSql = Sql(ByObject);

    private static readonly string ByFragmentSql = Sql(ByFragment);

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
