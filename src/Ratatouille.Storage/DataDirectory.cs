namespace Ratatouille.Storage;

/// <summary>
/// The folders under the data directory (<c>RATATOUILLE_DATA_DIR</c>, default <c>./data</c>):
/// the local object store's root, the metadata database, and scratch space.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(TempFolder);
        Directory.CreateDirectory(ExportFolder);
    }

    public string Root { get; }

    /// <summary>The SQLite metadata database.</summary>
    public string MetadataDatabase => Path.Combine(Root, "ratatouille.db");

    /// <summary>Scratch files (uploads being received, spill files); emptied at start.</summary>
    public string TempFolder => Path.Combine(Root, "tmp");

    /// <summary>Exports being written before they stream to a client.</summary>
    public string ExportFolder => Path.Combine(TempFolder, "exports");

    /// <summary>Node-local copies of remote objects.</summary>
    public string CacheFolder => Path.Combine(Root, "cache");

    /// <summary>Removes scratch files a previous process left behind (they belong to no live request).</summary>
    public void CleanTemp()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(TempFolder))
        {
            try
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
            catch (IOException)
            {
                // Still in use by something else; it will be tried at the next start.
            }
        }

        Directory.CreateDirectory(ExportFolder);
    }
}
