using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The script usage search reads scripts in reading order when many match, checking each as it comes: with the words
    /// only in an expression index, that check split the text again for every script (about 30 µs each, 8,000 scripts for
    /// a page of an object named in 1 % of them). The words are now a stored generated column, so the check is an array
    /// lookup, and its GIN index replaces the expression index. The GIN indexes keep <c>fastupdate</c> on: with it off,
    /// loading 100,000 scripts took 120 s instead of 18 s (every trigram written into the index at once), and the pending
    /// list a search may read is at most <c>gin_pending_list_limit</c> (4 MB). The column is not in the EF model: the
    /// database keeps it.
    /// </summary>
    public partial class ScriptSearchWordsColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE crm.scripts ADD COLUMN words text[] GENERATED ALWAYS AS (crm.script_words(text)) STORED;");
            migrationBuilder.Sql("DROP INDEX crm.ix_scripts_words;");
            migrationBuilder.Sql("CREATE INDEX ix_scripts_words ON crm.scripts USING gin (words);");

            // The search's statement has branches that only run when the ones before them say so; a parallel plan would
            // start its workers for a branch just to find it is not needed (5-10 ms). One tenant's search never needs them.
            migrationBuilder.Sql("ALTER TABLE crm.scripts SET (parallel_workers = 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE crm.scripts RESET (parallel_workers);");
            migrationBuilder.Sql("DROP INDEX crm.ix_scripts_words;");
            migrationBuilder.Sql("ALTER TABLE crm.scripts DROP COLUMN words;");
            migrationBuilder.Sql("CREATE INDEX ix_scripts_words ON crm.scripts USING gin (crm.script_words(text));");
        }
    }
}
