"""The real services on loopback, started and thrown away by the tests and the benchmarks.

Never imported by the portal itself (an import-linter contract keeps it so):

- processes.py  free ports, waiting, process groups, running as the postgres user
- datastores.py a throwaway PostgreSQL cluster and Redis server
- smtp.py       an SMTP sink that records or counts what arrives
- portal.py     the deployment's processes (gunicorn, Celery worker and beat) on them
- __main__.py   `python -m tests.loopback COMMAND…`: a command with PostgreSQL and Redis
                up (what .ci/with-services and so `make test` run)
"""
