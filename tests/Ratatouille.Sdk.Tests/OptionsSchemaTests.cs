using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace Ratatouille.Sdk.Tests;

public sealed class OptionsSchemaTests
{
    public enum Mode
    {
        PageNumber,
        NextLink,
    }

    public sealed class Auth
    {
        public string Username { get; set; } = "";

        [Secret]
        public string? Password { get; set; }
    }

    public sealed class Stream
    {
        [Required]
        public string Name { get; set; } = "";

        public Dictionary<string, string> Query { get; set; } = [];
    }

    [Description("Test options.")]
    public sealed class Options
    {
        [Required]
        [DisplayName("Base URL")]
        [Description("Where the API lives.")]
        [RegularExpression("^https?://.+")]
        public string BaseUrl { get; set; } = "";

        [Range(1, 65535)]
        public int Port { get; set; } = 443;

        public double Ratio { get; set; } = 0.5;

        public bool? Verify { get; set; }

        public Mode Pagination { get; set; } = Mode.NextLink;

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        public List<string> Tags { get; set; } = ["a"];

        public Auth Auth { get; set; } = new();

        public List<Stream> Streams { get; set; } = [];

        [Secret]
        public string? Token { get; set; }
    }

    [Fact]
    public void Generates_a_form_schema_with_titles_defaults_constraints_and_secrets()
    {
        var schema = OptionsSchema.Generate(typeof(Options));
        var properties = schema["properties"]!;
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.Equal("Test options.", schema["description"]!.GetValue<string>());
        Assert.Equal(["baseUrl"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("Base URL", properties["baseUrl"]!["title"]!.GetValue<string>());
        Assert.Equal("^https?://.+", properties["baseUrl"]!["pattern"]!.GetValue<string>());
        Assert.Equal("integer", properties["port"]!["type"]!.GetValue<string>());
        Assert.Equal(443, properties["port"]!["default"]!.GetValue<long>());
        Assert.Equal(65535, properties["port"]!["maximum"]!.GetValue<double>());
        Assert.Equal("number", properties["ratio"]!["type"]!.GetValue<string>());
        Assert.Equal(["boolean", "null"], properties["verify"]!["type"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["pageNumber", "nextLink"], properties["pagination"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("nextLink", properties["pagination"]!["default"]!.GetValue<string>());
        Assert.Equal("00:00:30", properties["timeout"]!["default"]!.GetValue<string>());
        Assert.Equal("string", properties["tags"]!["items"]!["type"]!.GetValue<string>());
        Assert.True(properties["auth"]!["properties"]!["password"]!["x-secret"]!.GetValue<bool>());
        Assert.Equal("string", properties["streams"]!["items"]!["properties"]!["query"]!["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.True(properties["token"]!["writeOnly"]!.GetValue<bool>());
        Assert.Null(properties["token"]!["default"]);
        Assert.Equal(["auth.password", "token"], OptionsSchema.SecretPaths(typeof(Options)).Order());
    }

    public sealed class Server
    {
        [Secret]
        public string? Password { get; set; }
    }

    public sealed class SecretInList
    {
        public List<Server> Servers { get; set; } = [];
    }

    [Fact]
    public void A_secret_inside_a_list_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OptionsSchema.SecretPaths(typeof(SecretInList)));
        Assert.Contains("servers[].password", error.Message);
    }

    [Fact]
    public void Binds_json_into_typed_options()
    {
        var options = (Options)OptionsSchema.Bind(typeof(Options), JsonNode.Parse("""
            {
              "baseUrl": "https://api.example.com", "port": 8443, "ratio": 2, "verify": false, "pagination": "PageNumber",
              "timeout": "00:01:00", "tags": ["x", "y"], "auth": { "username": "me", "password": "pw" },
              "streams": [ { "name": "orders", "query": { "state": "open" } } ], "token": null
            }
            """));
        Assert.Equal(8443, options.Port);
        Assert.Equal(2.0, options.Ratio);
        Assert.False(options.Verify);
        Assert.Equal(Mode.PageNumber, options.Pagination);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Timeout);
        Assert.Equal(["x", "y"], options.Tags);
        Assert.Equal("pw", options.Auth.Password);
        Assert.Equal("open", options.Streams[0].Query["state"]);
        Assert.Null(options.Token);

        // Absent options keep their initial values.
        var defaults = (Options)OptionsSchema.Bind(typeof(Options), new JsonObject { ["baseUrl"] = "http://x" });
        Assert.Equal(443, defaults.Port);
        Assert.Equal(["a"], defaults.Tags);
    }

    [Fact]
    public void Lists_every_problem_with_its_option()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => OptionsSchema.Bind(typeof(Options), JsonNode.Parse("""
            { "port": 70000, "ratio": "half", "pagination": "sideways", "colour": "red", "streams": [ { "query": { } } ], "auth": { "username": 5 } }
            """)));
        Assert.Contains(error.Errors, e => e.StartsWith("'ratio'", StringComparison.Ordinal) && e.Contains("number"));
        Assert.Contains(error.Errors, e => e.StartsWith("'pagination'", StringComparison.Ordinal) && e.Contains("pageNumber, nextLink"));
        Assert.Contains(error.Errors, e => e.StartsWith("'colour'", StringComparison.Ordinal) && e.Contains("unknown option"));
        Assert.Contains(error.Errors, e => e.StartsWith("'auth.username'", StringComparison.Ordinal));

        var validation = Assert.Throws<InvalidOptionsException>(() => OptionsSchema.Bind(typeof(Options), JsonNode.Parse("""{ "port": 70000, "baseUrl": "ftp://x", "streams": [ { } ] }""")));
        Assert.Contains(validation.Errors, e => e.StartsWith("'port'", StringComparison.Ordinal) && e.Contains("between 1 and 65535"));
        Assert.Contains(validation.Errors, e => e.StartsWith("'baseUrl'", StringComparison.Ordinal));
        Assert.Contains(validation.Errors, e => e.StartsWith("'streams[0].name'", StringComparison.Ordinal));

        Assert.Throws<InvalidOptionsException>(() => OptionsSchema.Bind(typeof(Options), JsonNode.Parse("[1, 2]")));
    }
}
