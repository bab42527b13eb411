using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ratatouille.Plugins.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PendingStreamState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PendingRunId",
                table: "stream_states",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingStateJson",
                table: "stream_states",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PendingRunId",
                table: "stream_states");

            migrationBuilder.DropColumn(
                name: "PendingStateJson",
                table: "stream_states");
        }
    }
}
