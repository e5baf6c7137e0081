using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LongStepsAndFileStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(name: "files");

            migrationBuilder.AddColumn<string>(
                name: "step_checkpoint",
                schema: "processes",
                table: "bulk_processes",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "stores",
                schema: "files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    root = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stores", x => x.id);
                });

            // One database, one file store: at most one row, the marker every node checks its folder against.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_stores_single ON files.stores ((true));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stores",
                schema: "files");

            migrationBuilder.DropColumn(
                name: "step_checkpoint",
                schema: "processes",
                table: "bulk_processes");
        }
    }
}
