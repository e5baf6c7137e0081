using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Exports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "exports");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "scheduled_for",
                schema: "processes",
                table: "bulk_processes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "export_requests",
                schema: "exports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tray = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    format = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    columns = table.Column<string[]>(type: "text[]", nullable: false),
                    filters = table.Column<string>(type: "jsonb", nullable: false),
                    mode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    estimated_rows = table.Column<long>(type: "bigint", nullable: false),
                    scheduled_for = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    local_day = table.Column<DateOnly>(type: "date", nullable: false),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    row_count = table.Column<long>(type: "bigint", nullable: true),
                    file_id = table.Column<Guid>(type: "uuid", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_export_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_export_requests_bulk_processes_process_id",
                        column: x => x.process_id,
                        principalSchema: "processes",
                        principalTable: "bulk_processes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_export_requests_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_export_requests_process_id",
                schema: "exports",
                table: "export_requests",
                column: "process_id");

            migrationBuilder.CreateIndex(
                name: "ix_export_requests_tenant_id_id",
                schema: "exports",
                table: "export_requests",
                columns: new[] { "tenant_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ux_export_requests_one_deferred_per_tray_per_day",
                schema: "exports",
                table: "export_requests",
                columns: new[] { "tenant_id", "tray", "local_day" },
                unique: true,
                filter: "mode = 'Deferred' AND status <> 'Cancelled'");

            migrationBuilder.CreateIndex(
                name: "ux_export_requests_one_pending_per_tray",
                schema: "exports",
                table: "export_requests",
                columns: new[] { "tenant_id", "tray" },
                unique: true,
                filter: "status = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "export_requests",
                schema: "exports");

            migrationBuilder.DropColumn(
                name: "scheduled_for",
                schema: "processes",
                table: "bulk_processes");
        }
    }
}
