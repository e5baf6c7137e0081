using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InteractionImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "import_rows",
                schema: "interactions",
                columns: table => new
                {
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    cells = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_rows", x => new { x.process_id, x.seq });
                    table.ForeignKey(
                        name: "fk_import_rows_bulk_processes_process_id",
                        column: x => x.process_id,
                        principalSchema: "processes",
                        principalTable: "bulk_processes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_rows",
                schema: "interactions");
        }
    }
}
