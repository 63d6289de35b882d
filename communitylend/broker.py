"""kombu's filesystem transport (the embedded default broker, no Redis) with atomic writes.

kombu writes a message file in place and locks it, but the reader moves and reads files without
taking the lock, so a worker polling at the wrong moment reads an empty file and dies of a
JSONDecodeError ("Unrecoverable error"). Here each message is written under a name the reader
skips and renamed into place when complete: os.replace is atomic within a folder.
"""

import os
import uuid
from time import monotonic

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".part"  # not "<queue>.msg": _get passes it over until renamed
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
