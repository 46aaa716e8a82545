using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NovaCron.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VmResize : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ResizeFrom",
                table: "Vms",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.UpdateData(
                table: "AccessRoles",
                keyColumn: "Id",
                keyValue: new Guid("0197a000-0000-7000-8000-000000000001"),
                column: "Permissions",
                value: "[\"audit.read\",\"backup.manage\",\"image.manage\",\"job.manage\",\"node.manage\",\"node.read\",\"project.manage\",\"user.manage\",\"vm.console\",\"vm.create\",\"vm.delete\",\"vm.migrate\",\"vm.power\",\"vm.read\",\"vm.resize\"]");

            migrationBuilder.UpdateData(
                table: "AccessRoles",
                keyColumn: "Id",
                keyValue: new Guid("0197a000-0000-7000-8000-000000000002"),
                columns: new[] { "Description", "Permissions" },
                values: new object[] { "Runs VMs: create, power, resize, delete, console, backups and jobs", "[\"backup.manage\",\"job.manage\",\"node.read\",\"vm.console\",\"vm.create\",\"vm.delete\",\"vm.migrate\",\"vm.power\",\"vm.read\",\"vm.resize\"]" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ResizeFrom",
                table: "Vms");

            migrationBuilder.UpdateData(
                table: "AccessRoles",
                keyColumn: "Id",
                keyValue: new Guid("0197a000-0000-7000-8000-000000000001"),
                column: "Permissions",
                value: "[\"audit.read\",\"backup.manage\",\"image.manage\",\"job.manage\",\"node.manage\",\"node.read\",\"project.manage\",\"user.manage\",\"vm.console\",\"vm.create\",\"vm.delete\",\"vm.migrate\",\"vm.power\",\"vm.read\"]");

            migrationBuilder.UpdateData(
                table: "AccessRoles",
                keyColumn: "Id",
                keyValue: new Guid("0197a000-0000-7000-8000-000000000002"),
                columns: new[] { "Description", "Permissions" },
                values: new object[] { "Runs VMs: create, power, delete, console, backups and jobs", "[\"backup.manage\",\"job.manage\",\"node.read\",\"vm.console\",\"vm.create\",\"vm.delete\",\"vm.migrate\",\"vm.power\",\"vm.read\"]" });
        }
    }
}
