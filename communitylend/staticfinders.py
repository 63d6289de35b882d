"""Single files from ``node_modules``, for packages whose dist folder is too large to collect
whole: mermaid's is 123 MB, of which the design deck needs one 5.5 MB bundle (and its source
map, which the manifest storage follows). ``settings.NODE_MODULE_FILES`` maps a static prefix to
(folder, [file names])."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class NodeModuleFilesFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = []
        for prefix, (folder, names) in settings.NODE_MODULE_FILES.items():
            storage = FileSystemStorage(location=str(folder))
            storage.prefix = prefix
            self.entries.append((prefix, storage, list(names)))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        matches = []
        for prefix, storage, names in self.entries:
            for name in names:
                full = Path(storage.path(name))
                if path == f"{prefix}/{name}" and full.exists():
                    if not find_all:
                        return str(full)
                    matches.append(str(full))
        return matches

    def list(self, ignore_patterns):
        for _prefix, storage, names in self.entries:
            for name in names:
                if storage.exists(name):
                    yield name, storage
