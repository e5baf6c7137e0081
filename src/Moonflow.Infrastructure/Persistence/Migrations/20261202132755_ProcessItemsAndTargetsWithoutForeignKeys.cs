using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProcessItemsAndTargetsWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_process_items_bulk_processes_process_id",
                schema: "processes",
                table: "process_items");

            migrationBuilder.DropForeignKey(
                name: "fk_process_targets_bulk_processes_process_id",
                schema: "processes",
                table: "process_targets");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_process_items_bulk_processes_process_id",
                schema: "processes",
                table: "process_items",
                column: "process_id",
                principalSchema: "processes",
                principalTable: "bulk_processes",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_process_targets_bulk_processes_process_id",
                schema: "processes",
                table: "process_targets",
                column: "process_id",
                principalSchema: "processes",
                principalTable: "bulk_processes",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
