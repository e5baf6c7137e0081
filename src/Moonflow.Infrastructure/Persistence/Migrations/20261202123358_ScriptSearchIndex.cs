using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The script usage search (seed 004). A data object is looked up by its words: a GIN index over the words of each
    /// script (as PostgreSQL's \m…\M count them) finds exactly the scripts naming lblEtiqueta1, where a trigram index
    /// would also hand over every lblEtiqueta10…199 to be rechecked. A fragment is looked up with a trigram index over
    /// the text folded to lower case without accents, kept in a stored generated column so that rechecking a candidate
    /// and reading its lines never runs unaccent again. Neither column is in the EF model: the database keeps them.
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
            // the argument alone, which is what a generated column needs.
            migrationBuilder.Sql(
                """
                CREATE FUNCTION crm.script_search_text(value text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
                """);

            // \W is "not a letter, digit or underscore": the same word boundaries as \m and \M.
            migrationBuilder.Sql(
                """
                CREATE FUNCTION crm.script_words(value text) RETURNS text[]
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT regexp_split_to_array(value, '\W+') $$;
                """);

            // A fragment is looked for as written: LIKE's own wildcards in it are escaped.
            migrationBuilder.Sql(
                """
                CREATE FUNCTION crm.script_like_literal(value text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT replace(replace(replace(value, '\', '\\'), '%', '\%'), '_', '\_') $$;
                """);

            migrationBuilder.Sql("ALTER TABLE crm.scripts ADD COLUMN search_text text GENERATED ALWAYS AS (crm.script_search_text(text)) STORED;");
            migrationBuilder.Sql("CREATE INDEX ix_scripts_search_text_trgm ON crm.scripts USING gin (search_text gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_scripts_words ON crm.scripts USING gin (crm.script_words(text));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS crm.ix_scripts_words;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS crm.ix_scripts_search_text_trgm;");
            migrationBuilder.Sql("ALTER TABLE crm.scripts DROP COLUMN IF EXISTS search_text;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS crm.script_like_literal(text);");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS crm.script_words(text);");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS crm.script_search_text(text);");
        }
    }
}
