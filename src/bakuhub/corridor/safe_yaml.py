"""Settings files from outside (scenarios, sweeps) read as plain YAML, bounded.

No anchors, aliases or merge keys (an alias bomb expands a few hundred bytes into
gigabytes), at most :data:`MAX_YAML_BYTES`, not nested deeper than Python recurses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

MAX_YAML_BYTES = 256 * 1024
"""Largest scenario or sweep file read, bytes."""


def _too_large(source: str) -> InvalidInput:
    return InvalidInput(
        _(
            "{source} is larger than {size} KiB; a scenario or sweep file is a few lines of "
            "settings."
        ).format(source=source, size=MAX_YAML_BYTES // 1024)
    )


def parse_yaml(text: str, source: str) -> Any:
    """YAML text as data, refusing anchors and aliases (an alias bomb expands a few
    hundred bytes into gigabytes) and text over :data:`MAX_YAML_BYTES`."""
    import yaml

    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise _too_large(source)
    loader = None
    try:
        loader = _plain_loader()(text)  # the reader refuses control characters here
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise InvalidInput(
            _("{source} is not valid YAML: {error}").format(source=source, error=exc)
        ) from None
    except RecursionError:
        raise InvalidInput(
            _("{source} is nested too deeply to be a settings file.").format(source=source)
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml(file: Path, source: str) -> Any:
    """A YAML file as data (see :func:`parse_yaml`), its size checked before reading."""
    if file.stat().st_size > MAX_YAML_BYTES:
        raise _too_large(source)
    return parse_yaml(file.read_text(encoding="utf-8"), source)


@lru_cache(maxsize=1)
def _plain_loader() -> type[Any]:
    """yaml.SafeLoader without anchors, aliases or merge keys (made on first use)."""
    import yaml

    class PlainLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    _(
                        "anchors and aliases (&name, *name, <<: *name) are not accepted; "
                        "write each value out"
                    ),
                    event.start_mark,
                )
            return super().compose_node(parent, index)

    return PlainLoader
