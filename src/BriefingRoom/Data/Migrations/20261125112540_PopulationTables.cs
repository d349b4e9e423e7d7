using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations
{
    /// <inheritdoc />
    public partial class PopulationTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PopulationTables",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LoadedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LoadedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LoadedByUserId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PopulationTables", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "PopulationFigures",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Population = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PopulationFigures", x => new { x.Year, x.Code });
                    table.ForeignKey(
                        name: "FK_PopulationFigures_PopulationTables_Year",
                        column: x => x.Year,
                        principalTable: "PopulationTables",
                        principalColumn: "Year",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PopulationFigures");

            migrationBuilder.DropTable(
                name: "PopulationTables");
        }
    }
}
