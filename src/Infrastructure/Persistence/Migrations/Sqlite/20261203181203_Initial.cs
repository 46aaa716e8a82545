using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NovaCron.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Images",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    InitrdPath = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    KernelCommandLine = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    Format = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IsDefault = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Images", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Nodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LastHeartbeat = table.Column<long>(type: "INTEGER", nullable: true),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AgentVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Accelerator = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Labels = table.Column<string>(type: "TEXT", nullable: false),
                    Allocated_DiskGiB = table.Column<long>(type: "INTEGER", nullable: false),
                    Allocated_MemoryMiB = table.Column<long>(type: "INTEGER", nullable: false),
                    Allocated_VCpus = table.Column<int>(type: "INTEGER", nullable: false),
                    Capacity_DiskGiB = table.Column<long>(type: "INTEGER", nullable: false),
                    Capacity_MemoryMiB = table.Column<long>(type: "INTEGER", nullable: false),
                    Capacity_VCpus = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Nodes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Operations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VmId = table.Column<Guid>(type: "TEXT", nullable: true),
                    NodeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TargetName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Progress = table.Column<int>(type: "INTEGER", nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    Deadline = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Operations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Vms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    NodeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StateChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    ActiveOperationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false),
                    Spec_DiskGiB = table.Column<long>(type: "INTEGER", nullable: false),
                    Spec_ImageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Spec_MemoryMiB = table.Column<long>(type: "INTEGER", nullable: false),
                    Spec_Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Spec_VCpus = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Vms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OperationLogLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: false),
                    OperationId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OperationLogLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OperationLogLines_Operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "Operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "VmStateChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    From = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    VmId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VmStateChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VmStateChanges_Vms_VmId",
                        column: x => x.VmId,
                        principalTable: "Vms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Images_Name",
                table: "Images",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Nodes_Name",
                table: "Nodes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogLines_OperationId",
                table: "OperationLogLines",
                column: "OperationId");

            migrationBuilder.CreateIndex(
                name: "IX_Operations_QueuedAt",
                table: "Operations",
                column: "QueuedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Operations_VmId",
                table: "Operations",
                column: "VmId");

            migrationBuilder.CreateIndex(
                name: "IX_VmStateChanges_VmId",
                table: "VmStateChanges",
                column: "VmId");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_Name",
                table: "Vms",
                column: "Name",
                unique: true,
                filter: "\"State\" <> 'Deleted'");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_NodeId",
                table: "Vms",
                column: "NodeId");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_State",
                table: "Vms",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Images");

            migrationBuilder.DropTable(
                name: "Nodes");

            migrationBuilder.DropTable(
                name: "OperationLogLines");

            migrationBuilder.DropTable(
                name: "VmStateChanges");

            migrationBuilder.DropTable(
                name: "Operations");

            migrationBuilder.DropTable(
                name: "Vms");
        }
    }
}
