using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InteractionsPaymentOrdersPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "interactions");

            migrationBuilder.CreateTable(
                name: "interactions",
                schema: "interactions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_document_type = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    client_document_number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    client_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    direction = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    channel = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    send_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    campaign = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    template = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    portfolio = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    advisor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    advisor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recipients = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    error_message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    last_associated_communication = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interactions", x => x.id);
                    table.ForeignKey(
                        name: "fk_interactions_clients_client_id",
                        column: x => x.client_id,
                        principalSchema: "receivables",
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_interactions_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payment_orders",
                schema: "receivables",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issue_date = table.Column<DateOnly>(type: "date", nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    balance = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_orders", x => x.id);
                    table.ForeignKey(
                        name: "fk_payment_orders_clients_client_id",
                        column: x => x.client_id,
                        principalSchema: "receivables",
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_payment_orders_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_preferences",
                schema: "identity",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    values = table.Column<string[]>(type: "text[]", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_preferences", x => new { x.tenant_id, x.user_id, x.key });
                    table.ForeignKey(
                        name: "fk_user_preferences_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "identity",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_interactions_client_id",
                schema: "interactions",
                table: "interactions",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_interactions_tenant_id_advisor_id_send_at",
                schema: "interactions",
                table: "interactions",
                columns: new[] { "tenant_id", "advisor_id", "send_at" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_interactions_tenant_id_client_id_send_at",
                schema: "interactions",
                table: "interactions",
                columns: new[] { "tenant_id", "client_id", "send_at" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_interactions_tenant_id_send_at_id",
                schema: "interactions",
                table: "interactions",
                columns: new[] { "tenant_id", "send_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ux_interactions_same_communication",
                schema: "interactions",
                table: "interactions",
                columns: new[] { "tenant_id", "client_id", "channel", "sent_at", "recipients" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_client_id",
                schema: "receivables",
                table: "payment_orders",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_tenant_id_client_id",
                schema: "receivables",
                table: "payment_orders",
                columns: new[] { "tenant_id", "client_id" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_tenant_id_id",
                schema: "receivables",
                table: "payment_orders",
                columns: new[] { "tenant_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_tenant_id_number",
                schema: "receivables",
                table: "payment_orders",
                columns: new[] { "tenant_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_tenant_id_status_due_date",
                schema: "receivables",
                table: "payment_orders",
                columns: new[] { "tenant_id", "status", "due_date" });

            migrationBuilder.CreateIndex(
                name: "ix_user_preferences_user_id",
                schema: "identity",
                table: "user_preferences",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "interactions",
                schema: "interactions");

            migrationBuilder.DropTable(
                name: "payment_orders",
                schema: "receivables");

            migrationBuilder.DropTable(
                name: "user_preferences",
                schema: "identity");
        }
    }
}
