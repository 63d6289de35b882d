"""The embedded broker (no Redis): message files appear whole or not at all."""

import pytest
from django.conf import settings
from kombu import Connection
from kombu.transport.virtual.base import Empty

from communitylend.broker import Transport

pytestmark = pytest.mark.skipif(bool(settings.REDIS_URL), reason="the filesystem broker is the "
                                "default without REDIS_URL; CI runs on Redis")


def test_the_celery_app_uses_the_atomic_filesystem_transport():
    from communitylend.celery import app

    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)


def test_a_message_being_written_is_not_read_until_it_is_whole(tmp_path, monkeypatch):
    import os

    from communitylend import broker

    folder = str(tmp_path)
    options = {"data_folder_in": folder, "data_folder_out": folder}
    seen_while_writing = []
    real_replace = os.replace

    def replace(src, dst):
        # The last moment before the message appears: a worker polling now finds nothing
        # (kombu's own transport would already show it an empty or half-written file).
        with pytest.raises(Empty):
            channel._get("jobs")
        seen_while_writing.append(open(src, "rb").read())
        real_replace(src, dst)

    with Connection(transport=Transport, transport_options=options) as connection:
        channel = connection.default_channel
        monkeypatch.setattr(broker.os, "replace", replace)
        channel._put("jobs", {"body": "hello"})
        assert seen_while_writing and b"hello" in seen_while_writing[0]
        assert channel._get("jobs") == {"body": "hello"}
        assert list(tmp_path.iterdir()) == []
