"""`python -m devstack`: the local-development commands, run as a developer runs them."""

import os
import subprocess
import sys

import jwt
import psycopg

from shared.auth.tokens import AUDIENCE


def test_token_reaches_the_stack_named_in_the_stacks_env_file(tmp_path, database_url):
    (tmp_path / "env").write_text(f"DATABASE_URL={database_url}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ENV_FILE")}
    env.update(APP_ENV="development", DEVSTACK_DIR=str(tmp_path))

    result = subprocess.run(
        [sys.executable, "-m", "devstack", "token", "--email", "rep@example.com", "--hours", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    secret = os.environ["SUPABASE_JWT_SECRET"]
    claims = jwt.decode(result.stdout.strip(), secret, audience=AUDIENCE, algorithms=["HS256"])
    with psycopg.connect(database_url) as conn:
        query = "select id from auth.users where email = 'rep@example.com'"
        user_id = conn.execute(query).fetchone()[0]
    assert (claims["sub"], claims["email"]) == (str(user_id), "rep@example.com")
    assert claims["exp"] - claims["iat"] == 3600
