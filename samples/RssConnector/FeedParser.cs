using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>Reads an RSS 2.0 or Atom 1.0 document into <see cref="Feed"/>; anything else is refused with a message saying what it is.</summary>
internal static class FeedParser
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Atom03 = "http://purl.org/atom/ns#";
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    /// <summary>Parses <paramref name="document"/>, fetched from <paramref name="documentUrl"/> (the base of relative links).</summary>
    /// <param name="source">How messages name the feed (its URL without query string).</param>
    /// <exception cref="PluginException">The document is not an RSS 2.0 or Atom feed.</exception>
    public static Feed Parse(XDocument document, Uri documentUrl, string source)
    {
        var root = document.Root ?? throw new PluginException($"{source} returned an XML document without a root element.");
        if (root.Name == "rss")
        {
            return ParseRss(root, documentUrl, source);
        }

        if (root.Name == Atom + "feed")
        {
            return ParseAtom(root, documentUrl, source);
        }

        throw new PluginException(UnknownFormat(root, source));
    }

    private static string UnknownFormat(XElement root, string source)
    {
        if (root.Name == Rdf + "RDF")
        {
            return $"{source} is an RSS 1.0 (RDF) feed; this connector reads RSS 2.0 and Atom 1.0. Many sites offer an RSS 2.0 or Atom version of the same feed.";
        }

        if (root.Name == Atom03 + "feed")
        {
            return $"{source} is an Atom 0.3 feed; this connector reads Atom 1.0 (namespace {Atom.NamespaceName}) and RSS 2.0.";
        }

        if (root.Name.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            return $"{source} is a web page, not a feed. Use the address of the feed itself: the page's <link type=\"application/rss+xml\"> or <link type=\"application/atom+xml\"> names it.";
        }

        var name = root.Name.Namespace == XNamespace.None ? $"<{root.Name.LocalName}>" : $"<{root.Name.LocalName}> in the namespace {root.Name.NamespaceName}";
        return $"{source} is XML but not a feed format this connector reads: the root element is {name}; expected <rss> (RSS 2.0) or <feed xmlns=\"{Atom.NamespaceName}\"> (Atom).";
    }

    private static Feed ParseRss(XElement rss, Uri documentUrl, string source)
    {
        var channel = rss.Element("channel")
            ?? throw new PluginException($"{source} is an <rss> document without a <channel> element; it is not a valid RSS 2.0 feed.");
        var unparsed = 0;
        var items = new List<FeedItem>();
        foreach (var item in channel.Elements("item"))
        {
            var guidElement = item.Element("guid");
            var guid = Text(guidElement);
            var link = Text(item.Element("link"));
            if (link is null && guid is not null && !string.Equals((string?)guidElement!.Attribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase))
            {
                // RSS 2.0: a guid is a permalink unless isPermaLink="false".
                link = guid;
            }

            link = Absolute(link, item, documentUrl);
            var title = Text(item.Element("title"));
            var published = Date(Text(item.Element("pubDate")) ?? Text(item.Element(Dc + "date")), ref unparsed);
            var updated = Date(Text(item.Element(Atom + "updated")), ref unparsed);
            var author = Text(item.Element("author")) ?? Join(item.Elements(Dc + "creator").Select(Text));
            var summary = Text(item.Element("description")) ?? Text(item.Element(Content + "encoded"));
            var categories = Distinct(item.Elements("category").Select(Text));
            items.Add(new FeedItem(guid ?? link ?? SyntheticId(title, published, summary), title, link, published, updated, author, summary, categories));
        }

        return new Feed(source, "RSS 2.0", Text(channel.Element("title")), items, unparsed);
    }

    private static Feed ParseAtom(XElement feed, Uri documentUrl, string source)
    {
        var unparsed = 0;
        var feedAuthor = Authors(feed);
        var items = new List<FeedItem>();
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            var id = Text(entry.Element(Atom + "id"));
            var linkElement = entry.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate");
            var link = Absolute((string?)linkElement?.Attribute("href"), linkElement ?? entry, documentUrl);
            var title = AtomText(entry.Element(Atom + "title"), markup: false);
            var published = Date(Text(entry.Element(Atom + "published")), ref unparsed);
            var updated = Date(Text(entry.Element(Atom + "updated")), ref unparsed);
            // Atom: an entry without an author inherits the feed's.
            var author = Authors(entry) ?? feedAuthor;
            var summary = AtomText(entry.Element(Atom + "summary"), markup: true) ?? AtomText(entry.Element(Atom + "content"), markup: true);
            var categories = Distinct(entry.Elements(Atom + "category").Select(c => Clean((string?)c.Attribute("term"))));
            items.Add(new FeedItem(id ?? link ?? SyntheticId(title, published ?? updated, summary), title, link, published, updated, author, summary, categories));
        }

        return new Feed(source, "Atom", AtomText(feed.Element(Atom + "title"), markup: false), items, unparsed);
    }

    private static string? Authors(XElement element) =>
        Join(element.Elements(Atom + "author").Select(a => Text(a.Element(Atom + "name")) ?? Text(a.Element(Atom + "email"))));

    /// <summary>
    /// An Atom text construct: plain text and escaped HTML (type text/html) are the element's text; XHTML
    /// (type xhtml) is the markup inside its wrapping div, without namespace declarations, or its text for titles.
    /// </summary>
    private static string? AtomText(XElement? element, bool markup)
    {
        if (element is null || element.Attribute("src") is not null)
        {
            // Out-of-line content (src="…") has no text in the feed.
            return null;
        }

        if ((string?)element.Attribute("type") == "xhtml" && element.Element(Xhtml + "div") is { } div)
        {
            return markup ? Clean(string.Concat(div.Nodes().Select(n => WithoutNamespaces(n).ToString(SaveOptions.DisableFormatting)))) : Clean(div.Value);
        }

        return Text(element);
    }

    private static XNode WithoutNamespaces(XNode node) => node is XElement element
        ? new XElement(
            element.Name.LocalName,
            element.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => new XAttribute(a.Name.LocalName, a.Value)),
            element.Nodes().Select(WithoutNamespaces))
        : node;

    private static DateTimeOffset? Date(string? text, ref int unparsed)
    {
        var value = FeedDates.Parse(text);
        if (value is null && text is not null)
        {
            unparsed++;
        }

        return value;
    }

    /// <summary>Resolves a relative link against xml:base attributes in scope and the feed's own address.</summary>
    private static string? Absolute(string? link, XElement scope, Uri documentUrl)
    {
        if (link is null)
        {
            return null;
        }

        var baseUrl = documentUrl;
        foreach (var element in scope.AncestorsAndSelf().Reverse())
        {
            if ((string?)element.Attribute(XNamespace.Xml + "base") is { } declared && Uri.TryCreate(baseUrl, declared, out var resolved))
            {
                baseUrl = resolved;
            }
        }

        return Uri.TryCreate(baseUrl, link, out var absolute) ? absolute.AbsoluteUri : link;
    }

    /// <summary>
    /// For the rare item with neither guid/id nor link: a stable id from its content, so the column can stay
    /// non-null and usable as a key. It changes if the item's title, date or summary change.
    /// </summary>
    private static string SyntheticId(string? title, DateTimeOffset? date, string? summary)
    {
        var text = string.Join('\n', title, date?.ToString("O", System.Globalization.CultureInfo.InvariantCulture), summary);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string? Text(XElement? element) => element is null ? null : Clean(element.Value);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Join(IEnumerable<string?> values)
    {
        var present = Distinct(values);
        return present.Count == 0 ? null : string.Join(", ", present);
    }

    private static List<string> Distinct(IEnumerable<string?> values) =>
        values.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
