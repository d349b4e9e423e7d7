using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations
{
    /// <inheritdoc />
    public partial class DocumentsAndCopies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReservationParagraph",
                table: "Positions",
                type: "INTEGER",
                nullable: true);

            // Meetings that existed before keep naming the delegations in their footnotes.
            migrationBuilder.AddColumn<string>(
                name: "ReservationAttribution",
                table: "Meetings",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "Named");

            migrationBuilder.AddColumn<string>(
                name: "StatementMarking",
                table: "Items",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatementNumber",
                table: "Items",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatementTitle",
                table: "Items",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExportedCopies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: false),
                    ItemId = table.Column<int>(type: "INTEGER", nullable: true),
                    Document = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CopySha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Bytes = table.Column<int>(type: "INTEGER", nullable: false),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    IncludesNoAgreement = table.Column<bool>(type: "INTEGER", nullable: false),
                    RecipientUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RecipientName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RecipientDelegation = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ExportedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ExportedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportedCopies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExportedCopies_Items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "Items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ExportedCopies_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExportedCopies_ItemId",
                table: "ExportedCopies",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_ExportedCopies_MeetingId_CopySha256",
                table: "ExportedCopies",
                columns: new[] { "MeetingId", "CopySha256" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExportedCopies");

            migrationBuilder.DropColumn(
                name: "ReservationParagraph",
                table: "Positions");

            migrationBuilder.DropColumn(
                name: "ReservationAttribution",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "StatementMarking",
                table: "Items");

            migrationBuilder.DropColumn(
                name: "StatementNumber",
                table: "Items");

            migrationBuilder.DropColumn(
                name: "StatementTitle",
                table: "Items");
        }
    }
}
