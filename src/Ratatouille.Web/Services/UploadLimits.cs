using Microsoft.Extensions.Configuration;

namespace Ratatouille.Web.Services;

/// <summary>The upload size limit, from the same setting the REST upload uses (<c>Ingest:MaxUploadMb</c>).</summary>
public static class UploadLimits
{
    private const long DefaultMaxUploadMb = 2048;

    public static long MaxBytes(IConfiguration configuration)
    {
        var mb = configuration.GetValue<long?>("Ingest:MaxUploadMb") ?? DefaultMaxUploadMb;
        return (mb > 0 ? mb : DefaultMaxUploadMb) * 1024 * 1024;
    }
}
