"""The programme's badge service, `wearkit hub`: receives completions from classroom hosts,
gives each a claim code, and issues Open Badges 2.0 and 3.0 once a learner claims it.

`create_app()` is the Flask application factory; processes are stateless (everything is in
the database), so several can serve one PostgreSQL.
"""

from wearkit.hub.app import create_app

__all__ = ["create_app"]
