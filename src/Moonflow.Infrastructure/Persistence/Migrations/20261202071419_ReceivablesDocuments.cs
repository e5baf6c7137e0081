using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReceivablesDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "client_attachments",
                schema: "receivables",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    file_content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    file_file_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    file_original_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    file_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    file_size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    file_stored_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_client_attachments_clients_client_id",
                        column: x => x.client_id,
                        principalSchema: "receivables",
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_client_attachments_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "issued_invoices",
                schema: "receivables",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    pdf_content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    pdf_file_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    pdf_original_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    pdf_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    pdf_size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    pdf_stored_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    xml_content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    xml_file_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    xml_original_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    xml_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    xml_size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    xml_stored_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_issued_invoices", x => x.id);
                    table.ForeignKey(
                        name: "fk_issued_invoices_payment_orders_payment_order_id",
                        column: x => x.payment_order_id,
                        principalSchema: "receivables",
                        principalTable: "payment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_issued_invoices_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "received_invoices",
                schema: "receivables",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    supplier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    issue_date = table.Column<DateOnly>(type: "date", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xml_content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    xml_file_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    xml_original_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    xml_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    xml_size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    xml_stored_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_received_invoices", x => x.id);
                    table.ForeignKey(
                        name: "fk_received_invoices_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_client_attachments_client_id",
                schema: "receivables",
                table: "client_attachments",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_client_attachments_tenant_id_client_id_id",
                schema: "receivables",
                table: "client_attachments",
                columns: new[] { "tenant_id", "client_id", "id" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_issued_invoices_payment_order_id",
                schema: "receivables",
                table: "issued_invoices",
                column: "payment_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_issued_invoices_tenant_id_number",
                schema: "receivables",
                table: "issued_invoices",
                columns: new[] { "tenant_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_issued_invoices_tenant_id_payment_order_id",
                schema: "receivables",
                table: "issued_invoices",
                columns: new[] { "tenant_id", "payment_order_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_received_invoices_tenant_id_id",
                schema: "receivables",
                table: "received_invoices",
                columns: new[] { "tenant_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_received_invoices_tenant_id_supplier_number",
                schema: "receivables",
                table: "received_invoices",
                columns: new[] { "tenant_id", "supplier", "number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "client_attachments",
                schema: "receivables");

            migrationBuilder.DropTable(
                name: "issued_invoices",
                schema: "receivables");

            migrationBuilder.DropTable(
                name: "received_invoices",
                schema: "receivables");
        }
    }
}
