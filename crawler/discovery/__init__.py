"""Extra discovery beside the listings: sitemaps named by robots.txt and RSS/Atom feeds named by the
home page (docs/site.md: both unknown on the real site, so the crawler uses them only when named),
and which source found each item (the report counts items only one source found)."""
