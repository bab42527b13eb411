using PublicApiGenerator;
using Ratatouille.Sdk;
using Ratatouille.Testing;

namespace Ratatouille.Sdk.Tests;

/// <summary>
/// The SDK is a contract with every plugin ever built: its public surface is written down in
/// <c>PublicAPI.approved.txt</c> next to the project, and any change shows up here as a diff.
/// If the change is deliberate, copy <c>PublicAPI.received.txt</c> over the approved file and bump
/// the SDK version (a removal or signature change is a major version).
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("Ratatouille.Sdk", typeof(IConnector))]
    [InlineData("Ratatouille.Sdk.Testing", typeof(Ratatouille.Sdk.Testing.ConnectorHarness))]
    public void Public_api_matches_the_approved_snapshot(string project, Type anchor)
    {
        var api = anchor.Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        var folder = Path.Combine(RepositoryPaths.Root, "sdk", project);
        var approvedPath = Path.Combine(folder, "PublicAPI.approved.txt");
        var receivedPath = Path.Combine(folder, "PublicAPI.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (api != approved)
        {
            File.WriteAllText(receivedPath, api);
            Assert.Fail($"The public API of {project} changed. Review the diff between {approvedPath} and {receivedPath}; if it is deliberate, copy the received file over the approved one and bump the SDK's version.");
        }

        File.Delete(receivedPath);
    }

    [Fact]
    public void The_sdk_version_constant_matches_the_assembly()
    {
        var version = typeof(IConnector).Assembly.GetName().Version!;
        Assert.Equal(SdkInfo.Version, $"{version.Major}.{version.Minor}.{version.Build}");
    }
}
