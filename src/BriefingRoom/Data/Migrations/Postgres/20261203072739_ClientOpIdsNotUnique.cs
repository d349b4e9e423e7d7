using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClientOpIdsNotUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TextEdits_DocumentId_ClientOpId",
                table: "TextEdits");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_TextEdits_DocumentId_ClientOpId",
                table: "TextEdits",
                columns: new[] { "DocumentId", "ClientOpId" },
                unique: true);
        }
    }
}
