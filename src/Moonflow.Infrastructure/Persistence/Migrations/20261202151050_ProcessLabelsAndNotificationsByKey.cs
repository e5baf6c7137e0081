using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProcessLabelsAndNotificationsByKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "message_text",
                schema: "notifications",
                table: "notifications",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "title_text",
                schema: "notifications",
                table: "notifications",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "label_text",
                schema: "processes",
                table: "bulk_processes",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "language",
                schema: "processes",
                table: "bulk_processes",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "message_text",
                schema: "notifications",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "title_text",
                schema: "notifications",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "label_text",
                schema: "processes",
                table: "bulk_processes");

            migrationBuilder.DropColumn(
                name: "language",
                schema: "processes",
                table: "bulk_processes");
        }
    }
}
