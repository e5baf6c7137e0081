using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The script usage search reads scripts in reading order when many match, checking each as it comes: with the words
    /// only in an expression index, that check split the text again for every script (about 30 µs each, 8,000 scripts for
    /// a page of an object named in 1 % of them). The words are now a stored generated column, so the check is an array
    /// lookup, and its GIN index replaces the expression index. Both GIN indexes have <c>fastupdate</c> off: a search
    /// then never reads a pending list grown by a screens import (the import pays for its index entries as it writes).
    /// The column is not in the EF model: the database keeps it.
    /// </summary>
    public partial class ScriptSearchWordsColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE crm.scripts ADD COLUMN words text[] GENERATED ALWAYS AS (crm.script_words(text)) STORED;");
            migrationBuilder.Sql("DROP INDEX crm.ix_scripts_words;");
            migrationBuilder.Sql("CREATE INDEX ix_scripts_words ON crm.scripts USING gin (words) WITH (fastupdate = off);");

            // Turning fastupdate off leaves what is already pending where it is: it is moved into the index first.
            migrationBuilder.Sql("SELECT gin_clean_pending_list('crm.ix_scripts_search_text_trgm'::regclass);");
            migrationBuilder.Sql("ALTER INDEX crm.ix_scripts_search_text_trgm SET (fastupdate = off);");

            // The search's statement has branches that only run when the ones before them say so; a parallel plan would
            // start its workers for a branch just to find it is not needed (5-10 ms). One tenant's search never needs them.
            migrationBuilder.Sql("ALTER TABLE crm.scripts SET (parallel_workers = 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE crm.scripts RESET (parallel_workers);");
            migrationBuilder.Sql("ALTER INDEX crm.ix_scripts_search_text_trgm RESET (fastupdate);");
            migrationBuilder.Sql("DROP INDEX crm.ix_scripts_words;");
            migrationBuilder.Sql("ALTER TABLE crm.scripts DROP COLUMN words;");
            migrationBuilder.Sql("CREATE INDEX ix_scripts_words ON crm.scripts USING gin (crm.script_words(text));");
        }
    }
}
