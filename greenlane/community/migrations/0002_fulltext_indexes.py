"""PostgreSQL only: GIN indexes over the full-text vector of documents and best practices.

The expression is exactly what community/search.py queries (SearchVector("search_text", config="english")),
so the planner uses the index. Not in the model state: SQLite has no such index (it scans search_text).
"""

from django.db import migrations

INDEXES = {
    "community_document_fts": "community_document",
    "community_bestpractice_fts": "community_bestpractice",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            "USING gin (to_tsvector('english'::regconfig, COALESCE(\"search_text\", '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
