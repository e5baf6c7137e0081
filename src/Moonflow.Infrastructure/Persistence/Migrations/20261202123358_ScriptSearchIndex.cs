using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The script usage search (seed 004): a trigram index over the scripts' text folded to lower case without accents,
    /// which serves both a data object's whole-word regular expression and a fragment's LIKE. The folding is an
    /// immutable SQL function, so the index and the queries compute the very same expression.
    /// </summary>
    public partial class ScriptSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Both ship with PostgreSQL's contrib and are trusted extensions: a database owner may create them.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;");
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;");

            // unaccent() is only STABLE (its dictionary could change); naming the dictionary makes the result depend on
            // the argument alone, which is what an index expression needs.
            migrationBuilder.Sql(
                """
                CREATE FUNCTION crm.script_search_text(value text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
                """);

            // A fragment is looked for as written: LIKE's own wildcards in it are escaped.
            migrationBuilder.Sql(
                """
                CREATE FUNCTION crm.script_like_literal(value text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT replace(replace(replace(value, '\', '\\'), '%', '\%'), '_', '\_') $$;
                """);

            migrationBuilder.Sql("CREATE INDEX ix_scripts_search_text_trgm ON crm.scripts USING gin (crm.script_search_text(text) gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS crm.ix_scripts_search_text_trgm;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS crm.script_like_literal(text);");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS crm.script_search_text(text);");
        }
    }
}
