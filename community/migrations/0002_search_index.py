"""Full-text search indexes for issues, pull requests and comments (community.search).

PostgreSQL: a `search_document tsvector` column per table, kept up to date by a BEFORE INSERT OR
UPDATE trigger (title weighted A, body B, English stemming), with a GIN index. A trigger rather
than a generated column: PostgreSQL refuses to change the type of a column that a generated column
reads, and a later AlterField on `title` must keep working.

SQLite: an FTS5 table per source (`<table>_fts`, porter stemming, rowid = the GitHub id) that
AFTER INSERT / UPDATE / DELETE triggers keep in step. Django rebuilds a SQLite table (and so drops
its triggers) when a later migration alters it: `community.search.index.search_index_ensure`
recreates missing triggers and refills the FTS table before a search.

Other databases get no index (search falls back to a substring scan). Runs on the database's own
vendor only, so the same migration applies everywhere.
"""

from django.db import migrations

# (table, columns that make up the document, weights in column order)
SOURCES = (
    ("community_issue", ("title", "body"), ("A", "B")),
    ("community_pullrequest", ("title", "body"), ("A", "B")),
    ("community_comment", ("body",), ("B",)),
)


def _postgres_document(columns, weights, row="NEW"):
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, coalesce({row}.{column}, '')), '{weight}')"
        for column, weight in zip(columns, weights, strict=True)
    )


def _postgres_forwards(table, columns, weights):
    function = f"{table}_search_document"
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_document tsvector",
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_document := {_postgres_document(columns, weights)};
                RETURN NEW;
            END $$""",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"""CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {", ".join(columns)}
            ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()""",
        f"UPDATE {table} SET search_document = {_postgres_document(columns, weights, row=table)}",
        f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_document)",
    ]


def _postgres_backwards(table, columns, weights):
    function = f"{table}_search_document"
    return [
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
        f"DROP INDEX IF EXISTS {table}_search_gin",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document",
    ]


def sqlite_statements(table, columns):
    """The FTS5 table, its triggers and its fill (search_index_ensure runs them again)."""
    fts = f"{table}_fts"
    listed = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"{listed}, tokenize = 'porter unicode61 remove_diacritics 2')",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new_values});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {listed} ON {table} BEGIN
            DELETE FROM {fts} WHERE rowid = old.id;
            INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new_values});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN
            DELETE FROM {fts} WHERE rowid = old.id;
        END""",
        f"DELETE FROM {fts}",
        f"INSERT INTO {fts}(rowid, {listed}) SELECT id, {listed} FROM {table}",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, columns, weights in SOURCES:
        if vendor == "postgresql":
            statements = _postgres_forwards(table, columns, weights)
        elif vendor == "sqlite":
            statements = sqlite_statements(table, columns)
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, columns, weights in SOURCES:
        if vendor == "postgresql":
            statements = _postgres_backwards(table, columns, weights)
        elif vendor == "sqlite":
            fts = f"{table}_fts"
            events = ("insert", "update", "delete")
            statements = [
                *(f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in events),
                f"DROP TABLE IF EXISTS {fts}",
            ]
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
