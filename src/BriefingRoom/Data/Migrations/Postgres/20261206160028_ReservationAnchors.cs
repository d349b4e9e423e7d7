using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReservationAnchors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReservationFrom",
                table: "Positions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ReservationParagraphDeleted",
                table: "Positions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ReservationRevision",
                table: "Positions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReservationTo",
                table: "Positions",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReservationFrom",
                table: "Positions");

            migrationBuilder.DropColumn(
                name: "ReservationParagraphDeleted",
                table: "Positions");

            migrationBuilder.DropColumn(
                name: "ReservationRevision",
                table: "Positions");

            migrationBuilder.DropColumn(
                name: "ReservationTo",
                table: "Positions");
        }
    }
}
