namespace Ratatouille.Plugins.Postgres.Tests;

/// <summary>Every test class of this project shares one PostgreSQL cluster (started once, ~1 s).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
