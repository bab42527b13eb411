using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ratatouille.Plugins.Storage.Migrations
{
    /// <inheritdoc />
    public partial class RunLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LogJson",
                table: "extract_runs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LogJson",
                table: "extract_runs");
        }
    }
}
