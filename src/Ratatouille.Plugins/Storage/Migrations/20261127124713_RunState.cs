using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ratatouille.Plugins.Storage.Migrations
{
    /// <inheritdoc />
    public partial class RunState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StateJson",
                table: "extract_runs",
                type: "TEXT",
                nullable: true);

            // Runs from before this column: the run whose snapshot the stored state belongs to gets that state.
            migrationBuilder.Sql(
                "UPDATE extract_runs SET StateJson = (SELECT s.StateJson FROM stream_states s " +
                "WHERE s.ConnectionId = extract_runs.ConnectionId AND s.Stream = extract_runs.Stream AND s.Dataset = extract_runs.Dataset " +
                "AND s.SnapshotId = extract_runs.SnapshotId AND s.StateJson <> 'null') " +
                "WHERE StateJson IS NULL AND SnapshotId IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StateJson",
                table: "extract_runs");
        }
    }
}
