"""Moving a test database between migration states, for the data-migration tests of every app."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest() -> list:
    """The newest migration of every app: where a test returns the database when it is done."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    """Migrates (forwards or back) to `targets` and returns the historical models of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
