using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProposalRequestIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientRequestId",
                table: "Proposals",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Proposals_MeetingId_ProposedByUserId_ClientRequestId",
                table: "Proposals",
                columns: new[] { "MeetingId", "ProposedByUserId", "ClientRequestId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Proposals_MeetingId_ProposedByUserId_ClientRequestId",
                table: "Proposals");

            migrationBuilder.DropColumn(
                name: "ClientRequestId",
                table: "Proposals");
        }
    }
}
