using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UploadFailedRowsInProcessesSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "upload_failed_rows",
                schema: "processes",
                columns: table => new
                {
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    cells = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_upload_failed_rows", x => new { x.process_id, x.seq });
                    table.ForeignKey(
                        name: "fk_upload_failed_rows_bulk_processes_process_id",
                        column: x => x.process_id,
                        principalSchema: "processes",
                        principalTable: "bulk_processes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("Npgsql:UnloggedTable", true);

            // The failed rows of uploads still running move with them, so their error workbooks stay whole.
            migrationBuilder.Sql("INSERT INTO processes.upload_failed_rows (process_id, seq, cells) SELECT process_id, seq, cells FROM interactions.import_rows");

            migrationBuilder.DropTable(
                name: "import_rows",
                schema: "interactions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
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
                })
                .Annotation("Npgsql:UnloggedTable", true);

            migrationBuilder.Sql("INSERT INTO interactions.import_rows (process_id, seq, cells) SELECT process_id, seq, cells FROM processes.upload_failed_rows");

            migrationBuilder.DropTable(
                name: "upload_failed_rows",
                schema: "processes");
        }
    }
}
