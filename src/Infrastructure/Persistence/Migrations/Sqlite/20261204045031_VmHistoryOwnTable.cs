using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NovaCron.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VmHistoryOwnTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
