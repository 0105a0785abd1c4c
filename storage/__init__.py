"""The database: schema, migrations, the write path, and the queries other layers need.

Only this package imports SQLAlchemy. SQLite (one file, WAL) by default; PostgreSQL via
`DATABASE_URL` for several processes.
"""
