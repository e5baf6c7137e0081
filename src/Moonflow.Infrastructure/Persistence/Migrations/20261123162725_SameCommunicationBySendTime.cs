using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moonflow.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SameCommunicationBySendTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_interactions_same_communication",
                schema: "interactions",
                table: "interactions");

            // Re-uploaded scheduled rows were registered again (their NULL sent_at made them distinct); the first
            // registration of each communication stays, the copies go, or the index could not be built.
            migrationBuilder.Sql(
                """
                DELETE FROM interactions.interactions AS copy
                USING interactions.interactions AS first
                WHERE copy.tenant_id = first.tenant_id AND copy.client_id = first.client_id AND copy.channel = first.channel
                  AND copy.send_at = first.send_at AND copy.recipients = first.recipients
                  AND (first.created_at, first.id) < (copy.created_at, copy.id)
                """);

            migrationBuilder.CreateIndex(
                name: "ux_interactions_same_communication",
                schema: "interactions",
                table: "interactions",
                columns: new[] { "tenant_id", "client_id", "channel", "send_at", "recipients" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_interactions_same_communication",
                schema: "interactions",
                table: "interactions");

            migrationBuilder.CreateIndex(
                name: "ux_interactions_same_communication",
                schema: "interactions",
                table: "interactions",
                columns: new[] { "tenant_id", "client_id", "channel", "sent_at", "recipients" },
                unique: true);
        }
    }
}
