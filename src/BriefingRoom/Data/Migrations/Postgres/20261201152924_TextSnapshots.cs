using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TextSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TextSnapshots",
                columns: table => new
                {
                    DocumentId = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    MeetingId = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TextSnapshots", x => new { x.DocumentId, x.Revision });
                    table.ForeignKey(
                        name: "FK_TextSnapshots_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TextSnapshots_MeetingId",
                table: "TextSnapshots",
                column: "MeetingId");

            // The texts already stored become their first kept copies, so that their history starts somewhere.
            migrationBuilder.Sql("""
                INSERT INTO "TextSnapshots" ("DocumentId", "Revision", "MeetingId", "Text", "At")
                SELECT 'draft:' || "Id", "DraftRevision", "MeetingId", "DraftText", now() FROM "Items";
                INSERT INTO "TextSnapshots" ("DocumentId", "Revision", "MeetingId", "Text", "At")
                SELECT 'position:' || p."ItemId" || ':' || p."DelegationCode", p."TextRevision", i."MeetingId", p."Text", now()
                FROM "Positions" p JOIN "Items" i ON i."Id" = p."ItemId" WHERE p."Text" <> '' OR p."TextRevision" > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TextSnapshots");
        }
    }
}
