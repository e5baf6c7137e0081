using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Crm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "crm");

            migrationBuilder.CreateTable(
                name: "bases",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bases", x => x.id);
                    table.ForeignKey(
                        name: "fk_bases_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "categories",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_categories", x => x.id);
                    table.ForeignKey(
                        name: "fk_categories_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "entities",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    fields = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entities", x => x.id);
                    table.ForeignKey(
                        name: "fk_entities_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "lots",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    loaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lots", x => x.id);
                    table.ForeignKey(
                        name: "fk_lots_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "screens",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_screens", x => x.id);
                    table.ForeignKey(
                        name: "fk_screens_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subcategories",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    category_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subcategories", x => x.id);
                    table.ForeignKey(
                        name: "fk_subcategories_categories_category_id",
                        column: x => x.category_id,
                        principalSchema: "crm",
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sub_screens",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    screen_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sub_screens", x => x.id);
                    table.ForeignKey(
                        name: "fk_sub_screens_screens_screen_id",
                        column: x => x.screen_id,
                        principalSchema: "crm",
                        principalTable: "screens",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    document_type = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    document_number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    phones = table.Column<string[]>(type: "text[]", nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    tags = table.Column<string[]>(type: "text[]", nullable: false),
                    do_not_call = table.Column<bool>(type: "boolean", nullable: false),
                    lot_id = table.Column<Guid>(type: "uuid", nullable: true),
                    base_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_contact_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subcategory_id = table.Column<Guid>(type: "uuid", nullable: true),
                    dialable = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_contacts_lots_lot_id",
                        column: x => x.lot_id,
                        principalSchema: "crm",
                        principalTable: "lots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_contacts_subcategories_subcategory_id",
                        column: x => x.subcategory_id,
                        principalSchema: "crm",
                        principalTable: "subcategories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_contacts_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scripts",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sub_screen_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scripts", x => x.id);
                    table.ForeignKey(
                        name: "fk_scripts_sub_screens_sub_screen_id",
                        column: x => x.sub_screen_id,
                        principalSchema: "crm",
                        principalTable: "sub_screens",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agendas",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agendas", x => x.id);
                    table.ForeignKey(
                        name: "fk_agendas_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "crm",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agendas_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "call_history",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subcategory_id = table.Column<Guid>(type: "uuid", nullable: true),
                    duration_seconds = table.Column<int>(type: "integer", nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_history", x => x.id);
                    table.ForeignKey(
                        name: "fk_call_history_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "crm",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_call_history_subcategories_subcategory_id",
                        column: x => x.subcategory_id,
                        principalSchema: "crm",
                        principalTable: "subcategories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "conversations",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subcategory_id = table.Column<Guid>(type: "uuid", nullable: true),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => x.id);
                    table.ForeignKey(
                        name: "fk_conversations_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "crm",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_conversations_subcategories_subcategory_id",
                        column: x => x.subcategory_id,
                        principalSchema: "crm",
                        principalTable: "subcategories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_conversations_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "identity",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "entity_records",
                schema: "crm",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entity_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entity_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_entity_records_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "crm",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_entity_records_entities_entity_id",
                        column: x => x.entity_id,
                        principalSchema: "crm",
                        principalTable: "entities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agendas_contact_id",
                schema: "crm",
                table: "agendas",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_agendas_tenant_id_due_at_id",
                schema: "crm",
                table: "agendas",
                columns: new[] { "tenant_id", "due_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_agendas_tenant_id_owner_id_status_due_at_id",
                schema: "crm",
                table: "agendas",
                columns: new[] { "tenant_id", "owner_id", "status", "due_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_bases_tenant_id_name",
                schema: "crm",
                table: "bases",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_call_history_contact_id_at_id",
                schema: "crm",
                table: "call_history",
                columns: new[] { "contact_id", "at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_call_history_subcategory_id",
                schema: "crm",
                table: "call_history",
                column: "subcategory_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_history_tenant_id",
                schema: "crm",
                table: "call_history",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_categories_tenant_id_name",
                schema: "crm",
                table: "categories",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_base_ids",
                schema: "crm",
                table: "contacts",
                column: "base_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_lot_id",
                schema: "crm",
                table: "contacts",
                column: "lot_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_phones",
                schema: "crm",
                table: "contacts",
                column: "phones")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_subcategory_id",
                schema: "crm",
                table: "contacts",
                column: "subcategory_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tags",
                schema: "crm",
                table: "contacts",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_document_type_document_number",
                schema: "crm",
                table: "contacts",
                columns: new[] { "tenant_id", "document_type", "document_number" },
                unique: true,
                filter: "document_number IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_id",
                schema: "crm",
                table: "contacts",
                columns: new[] { "tenant_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_last_contact_at_id",
                schema: "crm",
                table: "contacts",
                columns: new[] { "tenant_id", "last_contact_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_last_user_id",
                schema: "crm",
                table: "contacts",
                columns: new[] { "tenant_id", "last_user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_lot_id_id",
                schema: "crm",
                table: "contacts",
                columns: new[] { "tenant_id", "lot_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_subcategory_id",
                schema: "crm",
                table: "contacts",
                columns: new[] { "tenant_id", "subcategory_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_contact_id",
                schema: "crm",
                table: "conversations",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_subcategory_id",
                schema: "crm",
                table: "conversations",
                column: "subcategory_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_external_id",
                schema: "crm",
                table: "conversations",
                columns: new[] { "tenant_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_status_channel_id",
                schema: "crm",
                table: "conversations",
                columns: new[] { "tenant_id", "status", "channel", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_entities_tenant_id_name",
                schema: "crm",
                table: "entities",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_entity_records_contact_id",
                schema: "crm",
                table: "entity_records",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_entity_records_entity_id",
                schema: "crm",
                table: "entity_records",
                column: "entity_id");

            migrationBuilder.CreateIndex(
                name: "ix_entity_records_tenant_id_entity_id_id",
                schema: "crm",
                table: "entity_records",
                columns: new[] { "tenant_id", "entity_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_lots_tenant_id_loaded_at",
                schema: "crm",
                table: "lots",
                columns: new[] { "tenant_id", "loaded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_screens_tenant_id_name",
                schema: "crm",
                table: "screens",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scripts_sub_screen_id_position",
                schema: "crm",
                table: "scripts",
                columns: new[] { "sub_screen_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_scripts_tenant_id",
                schema: "crm",
                table: "scripts",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_sub_screens_screen_id_position",
                schema: "crm",
                table: "sub_screens",
                columns: new[] { "screen_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_subcategories_category_id",
                schema: "crm",
                table: "subcategories",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_subcategories_tenant_id_category_id",
                schema: "crm",
                table: "subcategories",
                columns: new[] { "tenant_id", "category_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agendas",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "bases",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "call_history",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "conversations",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "entity_records",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "scripts",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "contacts",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "entities",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "sub_screens",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "lots",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "subcategories",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "screens",
                schema: "crm");

            migrationBuilder.DropTable(
                name: "categories",
                schema: "crm");
        }
    }
}
