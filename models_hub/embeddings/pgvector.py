"""Optional pgvector acceleration on PostgreSQL.

Decision: every database stores the vector as float32 bytes (`Embedding.vector`, the source of
truth), and on PostgreSQL servers that offer the `vector` extension Steward adds a mirror column
`vector_pg vector` plus an HNSW cosine index per dimension. Servers without the extension (our
CI's plain PostgreSQL 15) and SQLite keep only the bytes and use exact numpy search.

The setup runs from a `post_migrate` handler (`pgvector_install`), not from a migration: the
app keeps a single 0001 migration regenerated from the models, which would drop a hand-written
operation, and the work is idempotent (IF NOT EXISTS everywhere) so running it after every
`migrate` is cheap. It also fills the mirror for rows written before the extension was there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
from django.db import DatabaseError, connections, transaction

from models_hub.models import Embedding

logger = logging.getLogger(__name__)

COLUMN = "vector_pg"
TABLE = Embedding._meta.db_table
# The bundled MiniLM's dimension is indexed up front; other models get theirs when first stored.
DEFAULT_DIMENSIONS = 384

_enabled: dict[tuple[str, str], bool] = {}


def _key(using: str) -> tuple[str, str]:
    return using, str(connections[using].settings_dict["NAME"])


def pgvector_enabled(*, using: str = "default") -> bool:
    """Whether this database has the mirror column (checked once per database)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    key = _key(using)
    if key not in _enabled:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
                [TABLE, COLUMN],
            )
            _enabled[key] = cursor.fetchone() is not None
    return _enabled[key]


def pgvector_install(*, using: str = "default") -> bool:
    """Create the extension, the mirror column and its indexes where the server allows it."""
    connection = connections[using]
    if connection.vendor != "postgresql" or TABLE not in connection.introspection.table_names():
        return False
    _enabled.pop(_key(using), None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            return False
        try:
            with transaction.atomic(using=using):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except DatabaseError as error:  # e.g. a role that may not create extensions
            logger.warning("pgvector is available but could not be enabled: %s", error)
            return False
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD COLUMN IF NOT EXISTS "{COLUMN}" vector')
        cursor.execute(f'SELECT DISTINCT dimensions FROM "{TABLE}"')
        dimensions = {DEFAULT_DIMENSIONS} | {row[0] for row in cursor.fetchall()}
    for size in sorted(dimensions):
        pgvector_index_ensure(dimensions=size, using=using)
    _mirror_backfill(using=using)
    return True


def pgvector_index_ensure(*, dimensions: int, using: str = "default") -> None:
    """An HNSW cosine index over the vectors of one dimension (a partial expression index).

    Call it before writing rows in the same transaction: PostgreSQL refuses CREATE INDEX on a
    table with pending (deferred foreign key) trigger events.
    """
    size = int(dimensions)
    name = f"{TABLE}_hnsw_{size}"
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" '
                f'USING hnsw (("{COLUMN}"::vector({size})) vector_cosine_ops) '
                f"WHERE dimensions = {size}"
            )


def vector_literal(vector: np.ndarray) -> str:
    """pgvector's text form, float32 values in full: the server reads back the same floats."""
    return "[" + ",".join(repr(float(x)) for x in np.asarray(vector, dtype=np.float32)) + "]"


def pgvector_mirror(*, rows: Iterable[tuple[str, int, str, np.ndarray]], using: str) -> None:
    """Copy vectors into the mirror column; rows are (fk column, object id, model id, vector)."""
    by_column: dict[str, list[tuple[str, int, str]]] = {}
    for column, object_id, model_id, vector in rows:
        by_column.setdefault(column, []).append((vector_literal(vector), object_id, model_id))
    with connections[using].cursor() as cursor:
        for column, params in by_column.items():
            cursor.executemany(
                f'UPDATE "{TABLE}" SET "{COLUMN}" = %s::vector '
                f'WHERE "{column}" = %s AND model_id = %s',
                params,
            )


def _mirror_backfill(*, using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(f'SELECT id, vector FROM "{TABLE}" WHERE "{COLUMN}" IS NULL')
        missing = cursor.fetchall()
        params = [(vector_literal(Embedding.decode(blob)), pk) for pk, blob in missing]
        if params:
            cursor.executemany(
                f'UPDATE "{TABLE}" SET "{COLUMN}" = %s::vector WHERE id = %s', params
            )


def pgvector_install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (connected in ModelsHubConfig.ready)."""
    pgvector_install(using=using)
