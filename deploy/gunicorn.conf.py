"""gunicorn settings of the web service: read by deploy/systemd/lanshan-web.service and by deploy/smoke.

The values that differ between machines come from the environment (the service's EnvironmentFile):
GUNICORN_BIND, GUNICORN_WORKERS and TRUSTED_PROXIES (the addresses of nginx).
"""

import multiprocessing
import os

wsgi_app = "lanshan_party.wsgi:application"
proc_name = "lanshan-web"

# nginx proxies to this address; never expose it beyond the machine.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: nginx buffers slow clients (uploads and downloads), so a worker is busy only while Django works.
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "sync"

# A request still running after `timeout` seconds has its worker restarted. nginx waits a little longer
# (proxy_read_timeout 65s in deploy/nginx.conf), so gunicorn always decides and nginx never cuts a live request.
# Long work (exports and imports of large ledgers) runs in the Celery worker, not here.
timeout = 60
graceful_timeout = 30
keepalive = 2

# Restart each worker after a few thousand requests (with jitter), so memory cannot creep up for ever.
max_requests = 2000
max_requests_jitter = 200

# X-Forwarded-Proto is trusted only from nginx. The client address itself is read by Django (BEHIND_PROXY and
# TRUSTED_PROXIES), from the X-Forwarded-For header that nginx overwrites.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")

# The worker heartbeat file lives in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs go to stdout/stderr, i.e. to the journal (journalctl -u lanshan-web).
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
