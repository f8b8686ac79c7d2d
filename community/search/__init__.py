"""Search everywhere: full text (PostgreSQL tsvector / SQLite FTS5), semantic (stored
embeddings), item numbers and people, over what the user may see. `service.search_everything`
is the entry point; the page is `views.search_page`, the API `community.api`."""
