using System.Diagnostics;
using SQLitePCL;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// A prepared statement of a <see cref="SqliteDatabase"/>: bind, step, read columns by storage class, finalize.
/// Values come back as SQLite stores them: <see cref="long"/>, <see cref="double"/>, <see cref="string"/>,
/// <see cref="byte"/>[] or null.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    /// <summary>How long a locked database is waited for before SQLITE_BUSY is reported (Microsoft.Data.Sqlite's default command timeout).</summary>
    internal static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteDatabase _database;
    private readonly sqlite3_stmt? _handle;
    private bool _started;
    private bool _done;

    /// <summary>Takes ownership of <paramref name="handle"/> (which may be empty: SQL with no statement in it).</summary>
    public SqliteStatement(SqliteDatabase database, sqlite3_stmt? handle)
    {
        _database = database;
        _handle = handle;
    }

    /// <summary>The SQL held no statement (only blanks or comments).</summary>
    public bool IsEmpty => _handle is null || _handle.IsInvalid;

    public int ColumnCount => raw.sqlite3_column_count(Handle);

    /// <summary>The statement does not write (sqlite3_stmt_readonly).</summary>
    public bool IsReadOnly => raw.sqlite3_stmt_readonly(Handle) != 0;

    private sqlite3_stmt Handle => IsEmpty ? throw new InvalidOperationException("The SQL holds no statement.") : _handle!;

    /// <summary>Prepares one statement; waits for a locked schema like <see cref="Step"/> waits for locked data.</summary>
    /// <exception cref="SqliteError">The SQL does not compile, or the database stayed locked.</exception>
    public static SqliteStatement Prepare(SqliteDatabase database, string sql)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var rc = raw.sqlite3_prepare_v2(database.Handle, sql, out var handle);
            if (IsBusy(rc) && watch.Elapsed < BusyTimeout)
            {
                Finalize(handle);
                database.WaitWhileBusy();
                continue;
            }

            if (rc != raw.SQLITE_OK)
            {
                try
                {
                    SqliteError.ThrowIfError(rc, database.Handle);
                }
                finally
                {
                    Finalize(handle);
                }
            }

            return new SqliteStatement(database, handle);
        }
    }

    public string ColumnName(int ordinal) => raw.sqlite3_column_name(Handle, ordinal).utf8_to_string() ?? "";

    /// <summary>The declared type of a result column that selects a table column directly; "" otherwise.</summary>
    public string DeclaredType(int ordinal) => raw.sqlite3_column_decltype(Handle, ordinal).utf8_to_string() ?? "";

    /// <summary>Binds <c>$name</c>, <c>:name</c> or <c>@name</c> (the prefix included) to a long, double or string.</summary>
    public void Bind(string name, object value)
    {
        var index = raw.sqlite3_bind_parameter_index(Handle, name);
        if (index == 0)
        {
            throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
        }

        var rc = value switch
        {
            long integer => raw.sqlite3_bind_int64(Handle, index, integer),
            double real => raw.sqlite3_bind_double(Handle, index, real),
            string text => raw.sqlite3_bind_text(Handle, index, text),
            _ => throw new ArgumentException($"Cannot bind a {value.GetType().Name}: only integers, reals and text.", nameof(value)),
        };
        SqliteError.ThrowIfError(rc, _database.Handle);
    }

    /// <summary>Moves to the next row: true on a row, false at the end (and for ever after).</summary>
    /// <exception cref="SqliteError">The statement failed, was interrupted, or the database stayed locked.</exception>
    public bool Step()
    {
        if (_done || IsEmpty)
        {
            return false;
        }

        int rc;
        if (_started)
        {
            rc = raw.sqlite3_step(Handle);
        }
        else
        {
            // Before the first row a locked database is waited for; once rows flow, SQLite holds its read lock.
            _started = true;
            var watch = Stopwatch.StartNew();
            while (IsBusy(rc = raw.sqlite3_step(Handle)) && watch.Elapsed < BusyTimeout)
            {
                raw.sqlite3_reset(Handle);
                _database.WaitWhileBusy();
            }
        }

        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        _done = true;
        SqliteError.ThrowIfError(rc, _database.Handle);
        return false;
    }

    /// <summary>The value of a column of the current row by its storage class; null for NULL.</summary>
    public object? Value(int ordinal)
    {
        var handle = Handle;
        return raw.sqlite3_column_type(handle, ordinal) switch
        {
            raw.SQLITE_INTEGER => raw.sqlite3_column_int64(handle, ordinal),
            raw.SQLITE_FLOAT => raw.sqlite3_column_double(handle, ordinal),
            raw.SQLITE_TEXT => raw.sqlite3_column_text(handle, ordinal).utf8_to_string() ?? "",
            raw.SQLITE_BLOB => raw.sqlite3_column_blob(handle, ordinal).ToArray(),
            _ => null,
        };
    }

    /// <summary>A column of the current row as text (NULL as "").</summary>
    public string Text(int ordinal) => raw.sqlite3_column_text(Handle, ordinal).utf8_to_string() ?? "";

    /// <summary>A column of the current row as an integer (NULL as 0).</summary>
    public long Int64(int ordinal) => raw.sqlite3_column_int64(Handle, ordinal);

    /// <summary>sqlite3_finalize.</summary>
    public void Dispose() => Finalize(_handle);

    private static void Finalize(sqlite3_stmt? handle)
    {
        if (handle is null)
        {
            return;
        }

        if (!handle.IsInvalid)
        {
            raw.sqlite3_finalize(handle);
        }

        handle.Dispose();
    }

    private static bool IsBusy(int rc) => rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;
}
