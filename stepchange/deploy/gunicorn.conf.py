"""gunicorn's settings for the portal; the environment may override each one."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# sync (one request at a time a worker) unless the environment says gthread (then
# `threads` requests at a time a worker); bench/run.py's --gunicorn-worker-class sets it.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Behind a reverse proxy on this host that terminates TLS, sets X-Forwarded-Proto
# and appends the client's address to X-Forwarded-For. gunicorn trusts the
# scheme only from these addresses; it leaves REMOTE_ADDR as the proxy's, and
# Django takes the client's address from X-Forwarded-For as TRUSTED_PROXY_COUNT
# says (stepchange/client_address.py): 1 for this one proxy. Bound to loopback,
# so that no request reaches gunicorn without passing through the proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django writes one JSON line per request (stepchange/request_log.py); gunicorn's
# access log would repeat it.
accesslog = None
errorlog = "-"
# gunicorn's own limits, named because the portal relies on them: a request line
# (method, path and query) longer than this is answered 400 by gunicorn before
# Django sees it, so no view ever reads a query string or URL argument longer
# (tests/hostile_input.py sizes its longest URL value by it).
limit_request_line = 4094
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
