using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ratatouille.Plugins.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialPlugins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "connections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false, collation: "NOCASE"),
                    Connector = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ConfigJson = table.Column<string>(type: "TEXT", nullable: false),
                    SecretPathsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_connections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "plugin_states",
                columns: table => new
                {
                    PluginId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plugin_states", x => new { x.PluginId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "extract_runs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Dataset = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PluginVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false),
                    SnapshotId = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_extract_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_extract_runs_connections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "connections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stream_states",
                columns: table => new
                {
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Dataset = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StateJson = table.Column<string>(type: "TEXT", nullable: false),
                    SnapshotId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stream_states", x => new { x.ConnectionId, x.Stream, x.Dataset });
                    table.ForeignKey(
                        name: "FK_stream_states_connections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "connections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_connections_Name",
                table: "connections",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_extract_runs_ConnectionId_StartedAt",
                table: "extract_runs",
                columns: new[] { "ConnectionId", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "extract_runs");

            migrationBuilder.DropTable(
                name: "plugin_states");

            migrationBuilder.DropTable(
                name: "stream_states");

            migrationBuilder.DropTable(
                name: "connections");
        }
    }
}
