using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BriefingRoom.Data.Migrations
{
    /// <inheritdoc />
    public partial class Coalitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Coalitions",
                columns: table => new
                {
                    ItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LockedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LockedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Coalitions", x => x.ItemId);
                    table.ForeignKey(
                        name: "FK_Coalitions_Items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "Items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CoalitionSignatories",
                columns: table => new
                {
                    ItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    DelegationCode = table.Column<string>(type: "TEXT", nullable: false),
                    JoinedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RecordedOnBehalf = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CoalitionSignatories", x => new { x.ItemId, x.DelegationCode });
                    table.ForeignKey(
                        name: "FK_CoalitionSignatories_Coalitions_ItemId",
                        column: x => x.ItemId,
                        principalTable: "Coalitions",
                        principalColumn: "ItemId",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CoalitionSignatories_Delegations_DelegationCode",
                        column: x => x.DelegationCode,
                        principalTable: "Delegations",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CoalitionSignatories_DelegationCode",
                table: "CoalitionSignatories",
                column: "DelegationCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CoalitionSignatories");

            migrationBuilder.DropTable(
                name: "Coalitions");
        }
    }
}
