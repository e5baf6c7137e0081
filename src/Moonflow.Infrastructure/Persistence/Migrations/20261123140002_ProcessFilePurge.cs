using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProcessFilePurge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "purged_at",
                schema: "processes",
                table: "process_files",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "purged_at",
                schema: "processes",
                table: "process_files");
        }
    }
}
