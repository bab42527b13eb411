using System.Globalization;
using SQLitePCL;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// An error result of the SQLite API. The message reads like Microsoft.Data.Sqlite's did
/// (<c>SQLite Error 26: 'file is not a database'.</c>), so what users see did not change with the switch to the raw API.
/// </summary>
internal sealed class SqliteError : Exception
{
    public SqliteError(string message, int code)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The primary result code (SQLITE_INTERRUPT, SQLITE_BUSY, …).</summary>
    public int Code { get; }

    /// <summary>Throws for any result code other than SQLITE_OK, SQLITE_ROW and SQLITE_DONE.</summary>
    /// <param name="db">The connection the call was made on: its message is used when it reports the same code.</param>
    public static void ThrowIfError(int rc, sqlite3? db)
    {
        if (rc is raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE)
        {
            return;
        }

        var message = db is null || db.IsInvalid || rc != raw.sqlite3_errcode(db)
            ? raw.sqlite3_errstr(rc).utf8_to_string() + " For more information on this error code see https://www.sqlite.org/rescode.html"
            : raw.sqlite3_errmsg(db).utf8_to_string();
        throw new SqliteError($"SQLite Error {rc.ToString(CultureInfo.InvariantCulture)}: '{message}'.", rc);
    }
}
