from __future__ import annotations

import pytest
import redis

from tests.distributed.support import redis_server


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path / "redis") as url:
        yield url


@pytest.fixture
def server(redis_url):
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()
