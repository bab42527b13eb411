using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ratatouille.Catalog.Storage.Migrations
{
    /// <inheritdoc />
    public partial class SnapshotRestoredFrom : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RestoredFromId",
                table: "snapshots",
                type: "INTEGER",
                nullable: true);

            // Rollbacks made before this column existed name their target only in the origin text.
            migrationBuilder.Sql(
                "UPDATE snapshots SET RestoredFromId = CAST(substr(Origin, length('rollback to snapshot ') + 1) AS INTEGER) " +
                "WHERE Operation = 'rollback' AND Origin LIKE 'rollback to snapshot %'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RestoredFromId",
                table: "snapshots");
        }
    }
}
