"""Django's Redis cache, keeping one client per connection pool.

Django's client builds a new `redis.Redis` for every call, which copies its table of response
callbacks each time; on a page that reads only the session that was a tenth of a millisecond.
A `redis.Redis` over a pool is safe to share between threads, so one per pool is enough.
"""

from django.core.cache.backends import redis


class _Client(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(index)
            )
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
