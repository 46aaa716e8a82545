using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NovaCron.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VmNamesUniquePerProject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Vms_Name",
                table: "Vms");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_ProjectId_Name",
                table: "Vms",
                columns: new[] { "ProjectId", "Name" },
                unique: true,
                filter: "\"State\" <> 'Deleted'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Vms_ProjectId_Name",
                table: "Vms");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_Name",
                table: "Vms",
                column: "Name",
                unique: true,
                filter: "\"State\" <> 'Deleted'");
        }
    }
}
